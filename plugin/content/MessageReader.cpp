#include "content/MessageReader.h"
#include "content/EncodedWord.h"
#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/FileStream.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/QuotedPrintableDecoder.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <sstream>

namespace MassMailing
{
namespace
{
using Headers = std::vector<ReadMessage::Header>;

// Splits "headers CRLF CRLF body"; a message may also use bare LF.
void split(const std::string& bytes, std::string& head, std::string& body)
{
    std::size_t end = bytes.find("\r\n\r\n");
    std::size_t skip = 4;
    std::size_t bare = bytes.find("\n\n");
    if (bare != std::string::npos && (end == std::string::npos || bare < end))
    {
        end = bare;
        skip = 2;
    }
    if (end == std::string::npos)
    {
        head = bytes;
        body.clear();
        return;
    }
    head = bytes.substr(0, end);
    body = bytes.substr(end + skip);
}

Headers parseHeaders(const std::string& head)
{
    Headers headers;
    std::istringstream in(head);
    std::string line;
    while (std::getline(in, line))
    {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty())
            break;
        if ((line[0] == ' ' || line[0] == '\t') && !headers.empty())
        {
            headers.back().value += " " + Poco::trim(line);
            continue;
        }
        std::size_t colon = line.find(':');
        if (colon == std::string::npos)
            continue;
        headers.push_back({Poco::trim(line.substr(0, colon)), Poco::trim(line.substr(colon + 1))});
    }
    for (auto& header : headers)
        header.value = EncodedWord::decode(header.value);
    return headers;
}

std::string find(const Headers& headers, const std::string& name)
{
    for (const auto& header : headers)
        if (Poco::icompare(header.name, name) == 0)
            return header.value;
    return "";
}

std::string decode(const std::string& body, const std::string& encoding)
{
    std::string how = Poco::toLower(Poco::trim(encoding));
    std::string out;
    try
    {
        std::istringstream in(body);
        if (how == "base64")
        {
            Poco::Base64Decoder decoder(in);
            Poco::StreamCopier::copyToString(decoder, out);
        }
        else if (how == "quoted-printable")
        {
            Poco::Net::QuotedPrintableDecoder decoder(in);
            Poco::StreamCopier::copyToString(decoder, out);
        }
        else
            out = body;
    }
    catch (const Poco::Exception&)
    {
        out = body;
    }
    return out;
}

// A parameter, or its RFC 2231 form ("filename*=utf-8''%C3%A9t%C3%A9.pdf").
std::string parameter(const Poco::Net::NameValueCollection& parameters, const std::string& name)
{
    if (parameters.has(name + "*"))
    {
        std::string value = parameters.get(name + "*");
        std::size_t quote = value.find('\'', value.find('\'') + 1);
        std::string decoded;
        try
        {
            Poco::URI::decode(quote == std::string::npos ? value : value.substr(quote + 1), decoded);
        }
        catch (const Poco::SyntaxException&)
        {
            return value; // a bad %-escape ("filename*=%"): the value as written
        }
        return decoded;
    }
    return parameters.get(name, "");
}

void readPart(const std::string& bytes, ReadMessage& message, bool top, int depth)
{
    std::string head, body;
    split(bytes, head, body);
    Headers headers = parseHeaders(head);
    if (top)
        message.headers = headers;

    std::string type;
    Poco::Net::NameValueCollection parameters;
    Poco::Net::MessageHeader::splitParameters(find(headers, "Content-Type"), type, parameters);
    type = Poco::toLower(type.empty() ? std::string("text/plain") : type);

    if (type.compare(0, 10, "multipart/") == 0)
    {
        std::string boundary = parameters.get("boundary", "");
        if (boundary.empty())
            return;
        if (depth > MessageReader::MAX_DEPTH)
        {
            message.tooDeep = true;
            return;
        }
        const std::string delimiter = "--" + boundary;
        std::size_t pos = body.compare(0, delimiter.size(), delimiter) == 0 ? 0 : body.find("\n" + delimiter);
        while (pos != std::string::npos)
        {
            std::size_t start = body.find('\n', pos + 1);
            if (body.compare(pos + (body[pos] == '\n' ? 1 : 0) + delimiter.size(), 2, "--") == 0 ||
                start == std::string::npos)
                break;
            std::size_t next = body.find("\n" + delimiter, start);
            std::size_t from = start + 1;
            std::size_t end = next == std::string::npos ? body.size() : next;
            if (end > from && body[end - 1] == '\r')
                --end;
            readPart(end > from ? body.substr(from, end - from) : std::string(), message, false, depth + 1);
            pos = next;
        }
        return;
    }

    std::string content = decode(body, find(headers, "Content-Transfer-Encoding"));
    std::string disposition;
    Poco::Net::NameValueCollection dispositionParameters;
    Poco::Net::MessageHeader::splitParameters(find(headers, "Content-Disposition"), disposition,
                                              dispositionParameters);
    bool attached = Poco::icompare(disposition, "attachment") == 0;
    if (!attached && (type == "text/plain" || type == "text/html"))
        Poco::replaceInPlace(content, std::string("\r\n"), std::string("\n"));
    if (!attached && type == "text/plain" && message.text.empty())
        message.text = content;
    else if (!attached && type == "text/html" && message.html.empty())
        message.html = content;
    else
    {
        std::string id = find(headers, "Content-ID");
        if (id.size() >= 2 && id.front() == '<' && id.back() == '>')
            id = id.substr(1, id.size() - 2);
        std::string filename = parameter(dispositionParameters, "filename");
        if (filename.empty())
            filename = parameter(parameters, "name");
        message.files.push_back({type, filename, id, content});
    }
}
} // namespace

std::string ReadMessage::header(const std::string& name) const
{
    return find(headers, name);
}

std::string ReadMessage::htmlWithImages() const
{
    std::string out = html;
    for (const auto& file : files)
    {
        if (file.contentId.empty() || out.find("cid:" + file.contentId) == std::string::npos)
            continue;
        std::ostringstream encoded;
        Poco::Base64Encoder encoder(encoded);
        encoder.rdbuf()->setLineLength(0);
        encoder << file.bytes;
        encoder.close();
        Poco::replaceInPlace(out, "cid:" + file.contentId,
                             "data:" + file.contentType + ";base64," + encoded.str());
    }
    return out;
}

ReadMessage MessageReader::read(const std::string& bytes)
{
    ReadMessage message;
    readPart(bytes, message, true, 0);
    return message;
}

std::string MessageReader::headOf(const std::string& path, std::size_t maxBytes)
{
    Poco::FileInputStream in(path);
    std::string head(maxBytes, '\0');
    in.read(&head[0], std::streamsize(maxBytes));
    head.resize(std::size_t(in.gcount()));
    std::string headers, body;
    split(head, headers, body);
    return headers;
}

std::string MessageReader::header(const std::string& head, const std::string& name)
{
    return find(parseHeaders(head), name);
}
} // namespace MassMailing
