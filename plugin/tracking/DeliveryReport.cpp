#include "tracking/DeliveryReport.h"
#include "content/BounceAddress.h"
#include "content/MessageReader.h"
#include <Poco/DateTimeParser.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/String.h>
#include <algorithm>
#include <cctype>
#include <utility>

namespace MassMailing
{
namespace
{
using Fields = std::vector<std::pair<std::string, std::string>>;

const std::size_t MAX_TEXT = 500;
const std::size_t MAX_RECIPIENTS = 100;
const std::size_t MAX_ADDRESS = 320; // RFC 5321's longest path, with some room

std::string lower(const std::string& text)
{
    return Poco::toLower(text);
}

bool contains(const std::string& lowered, const char* what)
{
    return lowered.find(what) != std::string::npos;
}

std::vector<std::string> linesOf(const std::string& text)
{
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start <= text.size())
    {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        std::string line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        lines.push_back(std::move(line));
        start = end + 1;
    }
    return lines;
}

// The blocks of "Name: value" fields of a message/delivery-status or message/feedback-report
// body, separated by blank lines, folded lines unfolded.
std::vector<Fields> fieldBlocks(const std::string& body)
{
    std::vector<Fields> blocks(1);
    for (const std::string& line : linesOf(body))
    {
        if (Poco::trim(line).empty())
        {
            if (!blocks.back().empty())
                blocks.emplace_back();
            continue;
        }
        if ((line[0] == ' ' || line[0] == '\t') && !blocks.back().empty())
        {
            std::string& value = blocks.back().back().second;
            if (value.size() < 4 * MAX_TEXT)
                value += " " + Poco::trim(line);
            continue;
        }
        const auto colon = line.find(':');
        if (colon == std::string::npos || colon == 0)
            continue;
        blocks.back().emplace_back(lower(Poco::trim(line.substr(0, colon))),
                                   Poco::trim(line.substr(colon + 1)));
    }
    if (blocks.back().empty())
        blocks.pop_back();
    return blocks;
}

std::string field(const Fields& fields, const std::string& name)
{
    for (const auto& f : fields)
        if (f.first == name)
            return f.second;
    return "";
}

// "rfc822; x@example.net" -> "x@example.net"; "smtp; 550 ..." -> "550 ...".
std::string withoutType(const std::string& value)
{
    const auto semicolon = value.find(';');
    std::string text = semicolon == std::string::npos ? value : value.substr(semicolon + 1);
    text = Poco::trim(text);
    if (text.size() >= 2 && text.front() == '<' && text.back() == '>')
        text = text.substr(1, text.size() - 2);
    return text.substr(0, MAX_TEXT);
}

bool digit(char c)
{
    return c >= '0' && c <= '9';
}

// An enhanced status code "5.1.1" (RFC 3463) in a text, or "".
std::string enhancedCode(const std::string& text)
{
    for (std::size_t i = 0; i + 4 < text.size(); ++i)
    {
        if ((text[i] != '2' && text[i] != '4' && text[i] != '5') || text[i + 1] != '.' ||
            (i > 0 && (digit(text[i - 1]) || text[i - 1] == '.')))
            continue;
        std::size_t j = i + 2, a = j;
        while (j < text.size() && digit(text[j]) && j - a < 3)
            ++j;
        if (j == a || j >= text.size() || text[j] != '.')
            continue;
        std::size_t b = ++j;
        while (j < text.size() && digit(text[j]) && j - b < 3)
            ++j;
        if (j == b || (j < text.size() && (digit(text[j]) || text[j] == '.')))
            continue;
        return text.substr(i, j - i);
    }
    return "";
}

// The first SMTP reply code (4xx, 5xx) of a line, standing alone ("550 ", "550-", "said: 550"), or 0.
int replyCode(const std::string& line)
{
    for (std::size_t i = 0; i + 2 < line.size(); ++i)
    {
        if ((line[i] != '4' && line[i] != '5') || !digit(line[i + 1]) || !digit(line[i + 2]))
            continue;
        const char before = i == 0 ? ' ' : line[i - 1];
        const char after = i + 3 < line.size() ? line[i + 3] : ' ';
        if ((before == ' ' || before == '\t' || before == ':' || before == '#' || before == '(') &&
            (after == ' ' || after == '-' || after == '\t'))
            return (line[i] - '0') * 100 + (line[i + 1] - '0') * 10 + (line[i + 2] - '0');
    }
    return 0;
}

std::string statusFrom(const std::string& diagnostic)
{
    std::string code = enhancedCode(diagnostic);
    if (!code.empty())
        return code;
    const int reply = replyCode(" " + diagnostic);
    return reply ? std::to_string(reply / 100) + ".0.0" : std::string();
}

bool addressChar(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string("._%+-=!#$&'*/?^`{|}~").find(c) != std::string::npos;
}

// The first address in a text that is not a mail system's own (postmaster, MAILER-DAEMON, ours).
std::string firstAddress(const std::string& text)
{
    for (std::size_t at = text.find('@'); at != std::string::npos; at = text.find('@', at + 1))
    {
        std::size_t begin = at, end = at + 1;
        while (begin > 0 && addressChar(text[begin - 1]) && at - begin < 64)
            --begin;
        while (
            end < text.size() &&
            (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '.' || text[end] == '-') &&
            end - at < 255)
            ++end;
        while (end > at + 1 && text[end - 1] == '.')
            --end;
        if (begin == at || end == at + 1 || text.find('.', at) >= end)
            continue;
        std::string address = text.substr(begin, end - begin);
        std::string l = lower(address);
        if (contains(l, "mailer-daemon") || contains(l, "postmaster@") || l.compare(0, 7, "bounce+") == 0)
            continue;
        return address;
    }
    return "";
}

bool tokenText(const std::string& text)
{
    if (text.empty() || text.size() > BounceAddress::MAX_TOKEN_SIZE)
        return false;
    for (char c : text)
        if (!std::isalnum(static_cast<unsigned char>(c)) || (digit(c) && (c < '2' || c > '7')))
            return false;
    return true;
}

// The token an X-MM-Recipient header names in a block of headers, or a bounce address there.
std::string tokenInHeaders(const std::string& head)
{
    std::string named = Poco::trim(MessageReader::header(head, BounceAddress::RECIPIENT_HEADER));
    if (tokenText(named))
        return lower(named);
    const std::size_t end = std::min(head.find("\n\n"), head.find("\r\n\r\n"));
    return BounceAddress::find(end == std::string::npos ? head : head.substr(0, end));
}

// The token of an "X-MM-Recipient: TOKEN" line quoted in a text.
std::string tokenQuoted(const std::string& text)
{
    const std::string l = lower(text);
    const std::string name = lower(BounceAddress::RECIPIENT_HEADER) + ":";
    for (std::size_t pos = l.find(name); pos != std::string::npos; pos = l.find(name, pos + 1))
    {
        std::size_t from = pos + name.size(), end = from;
        while (from < l.size() && (l[from] == ' ' || l[from] == '\t'))
            ++from;
        end = from;
        while (end < l.size() && std::isalnum(static_cast<unsigned char>(l[end])))
            ++end;
        if (tokenText(l.substr(from, end - from)))
            return l.substr(from, end - from);
    }
    return "";
}

bool returnedPart(const std::string& type)
{
    return type == "message/rfc822" || type == "text/rfc822-headers" || type == "message/rfc822-headers" ||
           type == "message/global" || type == "message/global-headers";
}

// Where the message we sent is quoted in a plain-text bounce: what comes before is the report.
std::string reportPart(const std::string& text)
{
    static const char* const markers[] = {"--- below this line is a copy of the message",
                                          "------ this is a copy of the message",
                                          "----- unsent message follows -----",
                                          "----- original message -----",
                                          "original message headers",
                                          "------ this is a copy of your message",
                                          "\nreturn-path:",
                                          "\nreceived:"};
    const std::string l = lower(text);
    std::size_t cut = text.size();
    for (const char* marker : markers)
        cut = std::min(cut, l.find(marker));
    return text.substr(0, cut);
}

bool looksLikeBounce(const std::string& from, const std::string& subject, const std::string& text)
{
    const std::string f = lower(from), s = lower(subject), t = lower(text.substr(0, 20000));
    for (const char* what : {"mailer-daemon", "postmaster@", "mail delivery"})
        if (contains(f, what))
            return true;
    for (const char* what :
         {"undeliver", "undelivered", "delivery status notification", "mail delivery failed",
          "failure notice", "returned mail", "delivery failure", "delivery has failed",
          "could not be delivered", "delayed mail", "delivery delayed", "unzustellbar", "non remis"})
        if (contains(s, what))
            return true;
    for (const char* what :
         {"this is the qmail-send program", "mail delivery software",
          "the following addresses had permanent fatal errors", "transcript of session follows",
          "could not be delivered to one or more", "has not yet been delivered"})
        if (contains(t, what))
            return true;
    return false;
}

bool looksLikeAutoReply(const ReadMessage& message)
{
    const std::string submitted = lower(Poco::trim(message.header("Auto-Submitted")));
    if (!submitted.empty() && submitted != "no")
        return true;
    if (!message.header("X-Autoreply").empty() || !message.header("X-Autorespond").empty())
        return true;
    if (lower(Poco::trim(message.header("Precedence"))) == "auto_reply")
        return true;
    const std::string s = lower(Poco::trim(message.header("Subject")));
    for (const char* what : {"out of office", "out of the office", "automatic reply", "auto:", "autoreply",
                             "auto-reply", "auto reply", "absence", "abwesen", "réponse automatique",
                             "reponse automatique", "vacation", "on leave", "away from"})
        if (contains(s, what))
            return true;
    return false;
}

Poco::DateTime dateOf(const std::string& value, const Poco::DateTime& otherwise)
{
    Poco::DateTime date;
    int zone = 0;
    if (!value.empty() && Poco::DateTimeParser::tryParse(Poco::trim(value), date, zone))
    {
        date.makeUTC(zone);
        return date;
    }
    return otherwise;
}

void notUnderstood(DeliveryReport& report, const std::string& reason)
{
    report.kind = DeliveryReport::Kind::NotUnderstood;
    report.reason = reason;
}

// RFC 3464: the per-recipient blocks follow the per-message one.
void readDeliveryStatus(DeliveryReport& report, const std::string& body)
{
    for (const Fields& block : fieldBlocks(body))
    {
        std::string action = lower(field(block, "action"));
        std::string finalRecipient = field(block, "final-recipient");
        if (finalRecipient.empty())
            finalRecipient = field(block, "original-recipient");
        if (action.empty() && finalRecipient.empty())
            continue; // the per-message fields
        if (report.recipients.size() >= MAX_RECIPIENTS)
            break;
        DeliveryReport::Recipient recipient;
        recipient.finalRecipient = withoutType(finalRecipient);
        recipient.action = action.substr(0, 16);
        recipient.diagnostic = withoutType(field(block, "diagnostic-code"));
        recipient.status = enhancedCode(field(block, "status"));
        if (recipient.status.empty())
            recipient.status = statusFrom(recipient.diagnostic);
        report.recipients.push_back(recipient);
    }
}

void classifyBounces(DeliveryReport& report)
{
    bool hard = false, soft = false, delivered = false;
    std::vector<DeliveryReport::Recipient> failed;
    for (auto& recipient : report.recipients)
    {
        if (recipient.action == "delivered" || recipient.action == "relayed" ||
            recipient.action == "expanded")
        {
            delivered = true;
            continue;
        }
        if (recipient.status.empty())
            recipient.status = recipient.action == "delayed" ? "4.0.0" : "5.0.0";
        if (recipient.action == "delayed" || recipient.status[0] == '4')
            soft = true;
        else if (recipient.status[0] == '5')
            hard = true;
        else
            continue; // 2.x.x: not a failure
        failed.push_back(recipient);
    }
    if (hard)
        report.kind = DeliveryReport::Kind::HardBounce;
    else if (soft)
        report.kind = DeliveryReport::Kind::SoftBounce;
    else if (delivered)
        notUnderstood(report, "the report tells of a delivery, not of a failure");
    else
        notUnderstood(report, "the delivery status notification names no recipient");
    report.recipients = failed;
}

// qmail, Exim without DSN, Sendmail's and others' texts: the first SMTP reply quoted, and the
// address it is about.
void readTextBounce(DeliveryReport& report, const std::string& text)
{
    const std::string part = reportPart(text);
    const std::string l = lower(part);
    report.format = contains(l, "this is the qmail-send program") ? "qmail" : "text";
    DeliveryReport::Recipient recipient;
    std::size_t lines = 0;
    for (const std::string& line : linesOf(part))
    {
        if (++lines > 2000)
            break;
        std::string trimmed = Poco::trim(line);
        if (trimmed.compare(0, 3, ">>>") == 0 || trimmed.size() > 2000)
            continue; // our own command, quoted
        if (trimmed.compare(0, 3, "<<<") == 0)
            trimmed = Poco::trim(trimmed.substr(3));
        const int code = replyCode(" " + trimmed);
        if (code == 0)
            continue;
        recipient.diagnostic = trimmed.substr(0, MAX_TEXT);
        recipient.status = statusFrom(trimmed);
        break;
    }
    // qmail: "<x@example.net>:" on a line of its own; others: the first address quoted.
    for (const std::string& line : linesOf(part))
    {
        std::string trimmed = Poco::trim(line);
        if (trimmed.size() > 3 && trimmed.front() == '<' && trimmed.compare(trimmed.size() - 2, 2, ">:") == 0)
        {
            recipient.finalRecipient = trimmed.substr(1, std::min(trimmed.size() - 3, MAX_ADDRESS));
            break;
        }
    }
    if (recipient.finalRecipient.empty())
    {
        std::size_t failedAt = l.find("failed:");
        recipient.finalRecipient =
            firstAddress(failedAt == std::string::npos ? part : part.substr(failedAt)).substr(0, MAX_ADDRESS);
    }
    if (recipient.status.empty())
    {
        if (contains(l, "has not yet been delivered") || contains(l, "delayed") ||
            contains(l, "will keep trying") || contains(l, "will continue trying") ||
            contains(l, "temporary"))
            recipient.status = "4.0.0";
        else if (contains(l, "permanent") || contains(l, "giving up") ||
                 contains(l, "could not be delivered"))
            recipient.status = "5.0.0";
    }
    if (recipient.status.empty())
    {
        notUnderstood(report, "a bounce whose failure cannot be read: no SMTP reply in its text");
        return;
    }
    // An Exim delay warning quotes the 4xx of its last try, or a 5xx it still retries past.
    const bool retried = contains(l, "has not yet been delivered") || contains(l, "will keep trying") ||
                         contains(l, "will continue trying") || contains(l, "still being retried");
    if (retried)
        recipient.status[0] = '4';
    recipient.action = retried ? "delayed" : "failed";
    report.recipients.push_back(recipient);
    report.kind =
        recipient.status[0] == '4' ? DeliveryReport::Kind::SoftBounce : DeliveryReport::Kind::HardBounce;
}

void readFeedback(DeliveryReport& report, const std::string& body)
{
    report.format = "arf";
    std::vector<Fields> blocks = fieldBlocks(body);
    Fields fields;
    for (const auto& block : blocks)
        fields.insert(fields.end(), block.begin(), block.end());
    report.feedbackType = lower(field(fields, "feedback-type")).substr(0, 32);
    DeliveryReport::Recipient recipient;
    recipient.finalRecipient = withoutType(field(fields, "original-rcpt-to"));
    recipient.action = "complained";
    report.at = dateOf(field(fields, "arrival-date"), report.at);
    if (report.token.empty())
        report.token = BounceAddress::find(field(fields, "original-mail-from"));
    report.recipients.push_back(recipient);
    if (report.feedbackType == "abuse" || report.feedbackType == "fraud" || report.feedbackType == "virus")
        report.kind = DeliveryReport::Kind::Complaint;
    else
        notUnderstood(report, "a feedback report of type \"" + report.feedbackType + "\", not a complaint");
}
} // namespace

bool DeliveryReport::Recipient::hard() const
{
    return !status.empty() && status[0] == '5';
}

std::string DeliveryReport::Recipient::detail() const
{
    std::string text = status;
    if (!diagnostic.empty())
        text += (text.empty() ? "" : " ") + diagnostic;
    return text.substr(0, MAX_TEXT);
}

bool DeliveryReport::givenUp() const
{
    for (const auto& recipient : recipients)
        if (recipient.action == "failed")
            return true;
    return false;
}

std::string DeliveryReport::kindName(Kind kind)
{
    switch (kind)
    {
    case Kind::HardBounce:
        return "hard bounce";
    case Kind::SoftBounce:
        return "soft bounce";
    case Kind::AutoReply:
        return "auto-reply";
    case Kind::Complaint:
        return "complaint";
    case Kind::NotUnderstood:
        break;
    }
    return "not understood";
}

DeliveryReport DeliveryReport::read(const std::string& bytes,
                                    const std::vector<std::string>& envelopeRecipients,
                                    const Poco::DateTime& receivedAt)
{
    DeliveryReport report;
    report.at = receivedAt;
    const ReadMessage message =
        MessageReader::read(bytes.size() > MAX_BYTES ? bytes.substr(0, MAX_BYTES) : bytes);
    if (message.headers.empty())
    {
        notUnderstood(report, "it is not a mail message: it has no headers");
        return report;
    }
    report.subject = message.header("Subject").substr(0, MAX_TEXT);
    report.at = dateOf(message.header("Date"), receivedAt);

    // Whose message: the envelope recipient (bounce+TOKEN@) first, then what the report quotes.
    for (const auto& address : envelopeRecipients)
        if (report.token.empty())
            report.token = BounceAddress::find(address);
    std::string statusBody, feedbackBody;
    for (const auto& file : message.files)
    {
        const std::string type = lower(file.contentType);
        if ((type == "message/delivery-status" || type == "message/global-delivery-status") &&
            statusBody.empty())
            statusBody = file.bytes;
        else if (type == "message/feedback-report" && feedbackBody.empty())
            feedbackBody = file.bytes;
        else if (returnedPart(type) && report.token.empty())
            report.token = tokenInHeaders(file.bytes);
    }
    if (report.token.empty())
        report.token = tokenQuoted(message.text);
    if (report.token.empty())
        report.token = BounceAddress::find(message.header("To"));
    if (report.token.empty()) // the Return-Path of the original, quoted after the report
        report.token = BounceAddress::find(message.text.substr(reportPart(message.text).size()));

    std::string type, reportType;
    Poco::Net::NameValueCollection parameters;
    Poco::Net::MessageHeader::splitParameters(message.header("Content-Type"), type, parameters);
    reportType = lower(parameters.get("report-type", ""));

    if (!feedbackBody.empty() || reportType == "feedback-report")
        readFeedback(report, feedbackBody);
    else if (!statusBody.empty())
    {
        report.format = "dsn";
        readDeliveryStatus(report, statusBody);
        classifyBounces(report);
    }
    else if (reportType == "delivery-status")
        notUnderstood(report, "a delivery status notification without its message/delivery-status part "
                              "(cut, or malformed MIME)");
    else if (looksLikeBounce(message.header("From"), message.header("Subject"), message.text))
        readTextBounce(report, message.text);
    else if (looksLikeAutoReply(message))
    {
        report.format = "auto-reply";
        report.kind = Kind::AutoReply;
    }
    else
        notUnderstood(report, "neither a delivery status notification, a feedback report nor an auto-reply");
    if (report.kind == Kind::NotUnderstood && message.tooDeep)
        report.reason += " (multiparts nested more than " + std::to_string(MessageReader::MAX_DEPTH) +
                         " deep were not read)";

    if (report.kind != Kind::NotUnderstood && report.token.empty())
        notUnderstood(report,
                      "a " + kindName(report.kind) +
                          " that names no message of ours: no bounce token in the envelope recipient, "
                          "the X-MM-Recipient header or the returned headers");
    for (auto& recipient : report.recipients)
        recipient.token = report.token;
    return report;
}
} // namespace MassMailing
