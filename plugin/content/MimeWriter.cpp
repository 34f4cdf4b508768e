#include "MimeWriter.h"
#include "ContentException.h"
#include "EncodedWord.h"
#include "TransferEncoding.h"
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>
#include <algorithm>
#include <cstring>
#include <openssl/rand.h>
#include <vector>

namespace MassMailing
{
namespace
{
const std::size_t LINE = 78;
const std::size_t HARD_LINE = 998;
const char HEX[] = "0123456789abcdef";
const char UPPER_HEX[] = "0123456789ABCDEF";

// Headers the writer produces itself; a caller's header of one of these names would be a
// second, conflicting copy.
const char* const WRITER_HEADERS[] = {"date",
                                      "from",
                                      "sender",
                                      "reply-to",
                                      "to",
                                      "cc",
                                      "bcc",
                                      "subject",
                                      "message-id",
                                      "mime-version",
                                      "content-type",
                                      "content-transfer-encoding",
                                      "content-disposition",
                                      "content-id"};

void refuseLineBreak(const std::string& value, const std::string& field)
{
    if (value.find_first_of("\r\n") != std::string::npos)
        throw HeaderInjectionException(field + " contains a line break");
}

// Break points for folding: a space followed by something other than white space, so no
// continuation line is only white space.
std::size_t nextBreak(const std::string& value, std::size_t from)
{
    for (std::size_t i = from; i + 1 < value.size(); ++i)
    {
        if (value[i] == ' ' && value[i + 1] != ' ' && value[i + 1] != '\t')
            return i;
    }
    return value.size();
}

void appendHeader(std::string& out, const char* name, const std::string& value)
{
    const std::size_t nameLength = std::strlen(name);
    out.append(name, nameLength);
    out.append(": ", 2);
    std::size_t column = nameLength + 2;
    if (column + value.size() <= LINE)
    {
        out += value;
        out.append("\r\n", 2);
        return;
    }
    bool lineHasText = false;
    for (std::size_t start = 0; start < value.size();)
    {
        const std::size_t next = nextBreak(value, start + 1);
        const std::size_t length = next - start;
        if (lineHasText && column + length > LINE && value[start] == ' ')
        {
            out.append("\r\n", 2);
            column = 0;
        }
        out.append(value, start, length);
        column += length;
        lineHasText = true;
        if (column > HARD_LINE)
            throw Poco::InvalidArgumentException(std::string("header ") + name +
                                                 " has a word too long for a line of " +
                                                 std::to_string(HARD_LINE) + " characters");
        start = next;
    }
    out.append("\r\n", 2);
}

inline bool isAtext(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != 0 && std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr);
}

void appendQuoted(std::string& out, const std::string& text)
{
    out.push_back('"');
    for (char c : text)
    {
        if (c == '"' || c == '\\')
            out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('"');
}

void appendDisplayName(std::string& out, const std::string& name, std::size_t column)
{
    if (EncodedWord::needed(name))
    {
        EncodedWord::append(out, name, column < LINE ? LINE - column : EncodedWord::MAX_LENGTH);
        return;
    }
    bool atoms = true;
    for (char c : name)
        atoms = atoms && (c == ' ' || isAtext(static_cast<unsigned char>(c)));
    if (atoms)
        out += name;
    else
        appendQuoted(out, name);
}

bool isDotAtom(const std::string& text)
{
    if (text.empty() || text.front() == '.' || text.back() == '.' || text.find("..") != std::string::npos)
        return false;
    for (char c : text)
    {
        if (c != '.' && !isAtext(static_cast<unsigned char>(c)))
            return false;
    }
    return true;
}

bool isQuotedString(const std::string& text)
{
    if (text.size() < 2 || text.front() != '"' || text.back() != '"')
        return false;
    for (std::size_t i = 1; i + 1 < text.size(); ++i)
    {
        if (text[i] == '\\')
            ++i;
        else if (text[i] == '"')
            return false;
    }
    return true;
}

bool isDomain(const std::string& domain)
{
    if (domain.size() > 2 && domain.front() == '[' && domain.back() == ']')
        return domain.find_first_of("[]\\", 1) == domain.size() - 1;
    if (domain.empty() || domain.front() == '.' || domain.front() == '-' || domain.back() == '.' ||
        domain.find("..") != std::string::npos)
        return false;
    for (char c : domain)
    {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '.'))
            return false;
    }
    return true;
}

void appendAddress(std::string& out, const std::string& address, const std::string& field)
{
    refuseLineBreak(address, field);
    auto invalid = [&](const std::string& why)
    { throw InvalidAddressException(field + " \"" + address + "\" " + why); };
    if (address.empty())
        throw InvalidAddressException(field + " is empty");
    if (address.size() > 254)
        invalid("is longer than 254 characters");
    for (char c : address)
    {
        const unsigned char u = static_cast<unsigned char>(c);
        if (u >= 0x7F)
            invalid("is not ASCII (internationalised addresses are not supported)");
        if (u < 0x20)
            invalid("contains a control character");
    }
    const std::size_t at = address.rfind('@');
    if (at == std::string::npos || at == 0 || at + 1 == address.size())
        invalid("is not of the form name@domain");
    const std::string local = address.substr(0, at);
    const std::string domain = address.substr(at + 1);
    if (!isDomain(domain))
        invalid("has an invalid domain");
    if (isDotAtom(local) || isQuotedString(local))
        out += local;
    else
        appendQuoted(out, local);
    out.push_back('@');
    out += domain;
}

void appendMailbox(std::string& out, const MailAddress& mailbox, const std::string& role, std::size_t column)
{
    refuseLineBreak(mailbox.name, role + " name");
    if (mailbox.name.empty())
    {
        appendAddress(out, mailbox.address, role + " address");
        return;
    }
    appendDisplayName(out, mailbox.name, column);
    out.append(" <", 2);
    appendAddress(out, mailbox.address, role + " address");
    out.push_back('>');
}

bool isAsciiText(const std::string& text)
{
    for (char c : text)
    {
        const unsigned char u = static_cast<unsigned char>(c);
        if (u >= 0x7F || (u < 0x20 && u != '\t'))
            return false;
    }
    return true;
}

void appendUnstructured(std::string& out, const std::string& text, std::size_t column)
{
    if (EncodedWord::needed(text))
        EncodedWord::append(out, text, LINE - column);
    else
        out += text;
}

std::string contentType(const std::string& type, const std::string& field)
{
    refuseLineBreak(type, field);
    if (type.empty())
        return "application/octet-stream";
    const std::size_t slash = type.find('/');
    bool valid = slash != std::string::npos && slash > 0 && slash + 1 < type.size();
    for (std::size_t i = 0; valid && i < type.size(); ++i)
    {
        const char c = type[i];
        valid = i == slash || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                (c != 0 && std::strchr("!#$&^_.+-", c) != nullptr);
    }
    if (!valid)
        throw Poco::InvalidArgumentException(field + " \"" + type +
                                             "\" is not a MIME type such as image/png");
    return Poco::toLower(type);
}

bool isPlainParameter(const std::string& value)
{
    for (char c : value)
    {
        const unsigned char u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7F)
            return false;
    }
    return true;
}

void checkFilename(const std::string& filename, const std::string& field)
{
    refuseLineBreak(filename, field);
    if (filename.size() > 255)
        throw Poco::InvalidArgumentException(field + " is longer than 255 bytes");
    for (char c : filename)
    {
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            throw Poco::InvalidArgumentException(field + " contains a control character");
    }
}

// Content-Type "name" parameter: old clients (Outlook) read the attachment's name there, and
// expect an encoded word when it is not ASCII.
void appendNameParameter(std::string& out, const std::string& filename)
{
    if (filename.empty())
        return;
    out += "; name=";
    if (isPlainParameter(filename))
        appendQuoted(out, filename);
    else
    {
        out.push_back('"');
        // Room for ' name="' before the first word and '"' after the last.
        EncodedWord::append(out, filename, LINE - 8);
        out.push_back('"');
    }
}

// Content-Disposition "filename": RFC 2231 when it is not ASCII, cut into numbered pieces
// (filename*0*=, filename*1*=...) when it would not fit on a line.
void appendFilenameParameter(std::string& out, const std::string& filename)
{
    const std::size_t PIECE = 50;
    if (filename.empty())
        return;
    std::vector<std::string> pieces(1);
    const bool plain = isPlainParameter(filename);
    for (std::size_t i = 0; i < filename.size();)
    {
        // One character: a UTF-8 sequence stays in one piece.
        std::size_t length = 1;
        while (!plain && i + length < filename.size() &&
               (static_cast<unsigned char>(filename[i + length]) & 0xC0) == 0x80)
            ++length;
        std::string encoded;
        for (std::size_t k = i; k < i + length; ++k)
        {
            const unsigned char u = static_cast<unsigned char>(filename[k]);
            if (plain || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                (u != 0 && std::strchr("!#$&+-.^_`|~", u)))
                encoded.push_back(char(u));
            else
            {
                const char escaped[3] = {'%', UPPER_HEX[u >> 4], UPPER_HEX[u & 15]};
                encoded.append(escaped, 3);
            }
        }
        if (pieces.back().size() + encoded.size() > PIECE)
            pieces.emplace_back();
        pieces.back() += encoded;
        i += length;
    }
    for (std::size_t index = 0; index < pieces.size(); ++index)
    {
        out += "; filename";
        if (pieces.size() > 1)
            out += "*" + std::to_string(index);
        if (plain)
        {
            out += '=';
            appendQuoted(out, pieces[index]);
        }
        else
        {
            out += index == 0 ? "*=utf-8''" : "*=";
            out += pieces[index];
        }
    }
}

void checkContentId(const std::string& contentId)
{
    const std::string field = "inline image content ID";
    refuseLineBreak(contentId, field);
    if (contentId.empty())
        throw Poco::InvalidArgumentException(field + " is empty");
    for (char c : contentId)
    {
        const unsigned char u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7F || c == '<' || c == '>' || c == '"' || c == '\\' || c == ',' || c == ';')
            throw Poco::InvalidArgumentException(field + " \"" + contentId +
                                                 "\" may hold only printable ASCII "
                                                 "without spaces, quotes or angle brackets");
    }
}

void appendTextPart(std::string& out, const char* type, const std::string& text)
{
    out += "Content-Type: ";
    out += type;
    out += "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
    TransferEncoding::appendQuotedPrintable(out, text);
}

void openMultipart(std::string& out, const char* type, const std::string& boundary, const char* extra = "")
{
    std::string value = std::string(type) + ";" + extra + " boundary=\"" + boundary + "\"";
    appendHeader(out, "Content-Type", value);
    out.append("\r\n--", 4);
    out += boundary;
    out.append("\r\n", 2);
}

void nextPart(std::string& out, const std::string& boundary)
{
    out.append("\r\n--", 4);
    out += boundary;
    out.append("\r\n", 2);
}

void closeMultipart(std::string& out, const std::string& boundary)
{
    out.append("\r\n--", 4);
    out += boundary;
    out.append("--\r\n", 4);
}

enum class Level
{
    Mixed,
    Related,
    Alternative
};

void appendBody(std::string& out, const MailMessage& message, Level level, const std::string& boundary)
{
    if (level == Level::Mixed && !message.attachments.empty())
    {
        const std::string mixed = "=_1_" + boundary;
        openMultipart(out, "multipart/mixed", mixed);
        appendBody(out, message, Level::Related, boundary);
        for (const auto& attachment : message.attachments)
        {
            nextPart(out, mixed);
            std::string value = contentType(attachment.contentType, "attachment content type");
            appendNameParameter(value, attachment.filename);
            appendHeader(out, "Content-Type", value);
            out += "Content-Transfer-Encoding: base64\r\n";
            value = "attachment";
            appendFilenameParameter(value, attachment.filename);
            appendHeader(out, "Content-Disposition", value);
            out.append("\r\n", 2);
            TransferEncoding::appendBase64(out, attachment.bytes);
        }
        closeMultipart(out, mixed);
        return;
    }
    if (level != Level::Alternative && !message.inlineImages.empty())
    {
        const std::string related = "=_2_" + boundary;
        const bool alternative = !message.html.empty() && !message.text.empty();
        openMultipart(out, "multipart/related", related,
                      alternative ? " type=\"multipart/alternative\";" : " type=\"text/html\";");
        appendBody(out, message, Level::Alternative, boundary);
        for (const auto& image : message.inlineImages)
        {
            nextPart(out, related);
            std::string value = contentType(image.contentType, "inline image content type");
            appendNameParameter(value, image.filename);
            appendHeader(out, "Content-Type", value);
            out += "Content-Transfer-Encoding: base64\r\nContent-ID: <";
            out += image.contentId;
            out += ">\r\n";
            value = "inline";
            appendFilenameParameter(value, image.filename);
            appendHeader(out, "Content-Disposition", value);
            out.append("\r\n", 2);
            TransferEncoding::appendBase64(out, image.bytes);
        }
        closeMultipart(out, related);
        return;
    }
    if (!message.html.empty() && !message.text.empty())
    {
        const std::string alternative = "=_3_" + boundary;
        openMultipart(out, "multipart/alternative", alternative);
        appendTextPart(out, "text/plain", message.text);
        nextPart(out, alternative);
        appendTextPart(out, "text/html", message.html);
        closeMultipart(out, alternative);
        return;
    }
    if (!message.html.empty())
        appendTextPart(out, "text/html", message.html);
    else
        appendTextPart(out, "text/plain", message.text);
}

void validate(const MailMessage& message)
{
    if (message.from.address.empty())
        throw Poco::InvalidArgumentException("the message has no sender address");
    if (message.to.empty())
        throw Poco::InvalidArgumentException("the message has no recipient");
    refuseLineBreak(message.subject, "subject");
    for (const auto& attachment : message.attachments)
        checkFilename(attachment.filename, "attachment filename");
    for (const auto& image : message.inlineImages)
    {
        checkContentId(image.contentId);
        checkFilename(image.filename, "inline image filename");
    }
    for (const auto& header : message.headers)
    {
        refuseLineBreak(header.name, "header name");
        if (header.name.empty())
            throw Poco::InvalidArgumentException("a header has no name");
        for (char c : header.name)
        {
            if (c <= ' ' || c >= 0x7F || c == ':')
                throw Poco::InvalidArgumentException("header name \"" + header.name + "\" is not valid");
        }
        refuseLineBreak(header.value, "header " + header.name);
        for (const char* reserved : WRITER_HEADERS)
        {
            if (Poco::icompare(header.name, reserved) == 0)
                throw Poco::InvalidArgumentException("header " + header.name +
                                                     " is written by MimeWriter itself");
        }
    }
}

std::size_t expectedSize(const MailMessage& message)
{
    std::size_t size =
        4096 + message.html.size() + message.html.size() / 8 + message.text.size() + message.text.size() / 8;
    for (const auto& attachment : message.attachments)
        size += TransferEncoding::base64Size(attachment.bytes.size()) + 512;
    for (const auto& image : message.inlineImages)
        size += TransferEncoding::base64Size(image.bytes.size()) + 512;
    return size;
}

} // namespace

// Random bytes fetched a few kilobytes at a time: OpenSSL 3's RAND_bytes costs its provider's
// locks and a DRBG round at each call, twice a message (a twentieth of crmhost's CPU).
void MimeWriter::randomHex(std::string& out, std::size_t bytes)
{
    if (_randomUsed + bytes > sizeof _random)
    {
        if (RAND_bytes(_random, int(sizeof _random)) != 1)
            throw Poco::SystemException("no random bytes for a Message-ID");
        _randomUsed = 0;
    }
    for (std::size_t i = _randomUsed; i < _randomUsed + bytes; ++i)
    {
        out.push_back(HEX[_random[i] >> 4]);
        out.push_back(HEX[_random[i] & 15]);
    }
    _randomUsed += bytes;
}

MimeWriter::MimeWriter(std::size_t sizeLimit) : _sizeLimit(sizeLimit) {}

MimeWriter::MimeWriter(const MimeWriter& other) : _sizeLimit(other._sizeLimit) {}

MimeWriter& MimeWriter::operator=(const MimeWriter& other)
{
    _sizeLimit = other._sizeLimit;
    _randomUsed = sizeof _random;
    return *this;
}

std::string MimeWriter::write(MailMessage& message)
{
    std::string out;
    write(message, out);
    return out;
}

void MimeWriter::write(MailMessage& message, std::string& out)
{
    validate(message);
    std::string messageId = "<";
    randomHex(messageId, 16);
    messageId += '@';
    messageId += message.from.domain();
    messageId += '>';
    std::string boundary;
    randomHex(boundary, 12);
    const std::string& date = currentDate();
    writeMessage(message, messageId, date, boundary, out);
    if (out.size() > _sizeLimit)
        throw MessageTooLargeException(out.size(), _sizeLimit);
    message.messageId = std::move(messageId);
    message.date = date;
}

std::size_t MimeWriter::size(const MailMessage& message)
{
    validate(message);
    // Same lengths as a real Message-ID and boundary: the size is exact.
    const std::string messageId = "<" + std::string(32, '0') + "@" + message.from.domain() + ">";
    writeMessage(message, messageId, currentDate(), std::string(24, '0'), _scratch);
    const std::size_t size = _scratch.size();
    // Do not keep a 25 MB buffer alive for a size check.
    if (_scratch.capacity() > (std::size_t(1) << 20))
        std::string().swap(_scratch);
    return size;
}

void MimeWriter::checkSize(const MailMessage& message)
{
    const std::size_t bytes = size(message);
    if (bytes > _sizeLimit)
        throw MessageTooLargeException(bytes, _sizeLimit);
}

const std::string& MimeWriter::currentDate()
{
    const std::time_t now = std::time(nullptr);
    if (now != _dateSecond || _date.empty())
    {
        // RFC 1123's layout with the numeric zone RFC 5322 asks for ("GMT" is obsolete there).
        _date = Poco::DateTimeFormatter::format(Poco::DateTime(Poco::Timestamp::fromEpochTime(now)),
                                                "%w, %e %b %Y %H:%M:%S +0000");
        _dateSecond = now;
    }
    return _date;
}

void MimeWriter::writeMessage(const MailMessage& message, const std::string& messageId,
                              const std::string& date, const std::string& boundary, std::string& out) const
{
    out.clear();
    out.reserve(expectedSize(message));
    appendHeader(out, "Date", date);

    std::string value;
    appendMailbox(value, message.from, "sender", 6);
    appendHeader(out, "From", value);
    if (!message.replyTo.empty() || !message.replyTo.name.empty())
    {
        value.clear();
        appendMailbox(value, message.replyTo, "reply-to", 10);
        appendHeader(out, "Reply-To", value);
    }
    value.clear();
    for (const auto& recipient : message.to)
    {
        if (!value.empty())
            value.append(", ", 2);
        appendMailbox(value, recipient, "recipient", value.empty() ? 4 : 0);
    }
    appendHeader(out, "To", value);
    value.clear();
    appendUnstructured(value, message.subject, 9);
    appendHeader(out, "Subject", value);
    appendHeader(out, "Message-ID", messageId);
    out += "MIME-Version: 1.0\r\n";
    for (const auto& header : message.headers)
    {
        // Most of these are structured (List-Unsubscribe holds URLs), where encoded words are
        // not allowed: only text that cannot be written otherwise is encoded.
        if (isAsciiText(header.value))
            appendHeader(out, header.name.c_str(), header.value);
        else
        {
            value.clear();
            EncodedWord::append(value, header.value, LINE - std::min(LINE - 30, header.name.size() + 2));
            appendHeader(out, header.name.c_str(), value);
        }
    }
    appendBody(out, message, Level::Mixed, boundary);
}
} // namespace MassMailing
