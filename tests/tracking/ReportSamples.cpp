#include "ReportSamples.h"
#include <Poco/FileStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

namespace TrackingTests
{
std::string sampleReport(const std::string& name, const std::string& token)
{
    Poco::FileInputStream in(std::string(TRACKING_TEST_DIR) + "/reports/" + name);
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    return Poco::replace(text, std::string("@TOKEN@"), token);
}

std::string largeReport(const std::string& token, std::size_t size)
{
    std::string report = sampleReport("postfix-hard.eml", token);
    const std::string end = "--4ABC12345.1764753302/mx.example.org--";
    std::string returned = "--4ABC12345.1764753302/mx.example.org\n"
                           "Content-Type: message/rfc822\n\n"
                           "Return-Path: <bounce+" + token + "@bounces.example.org>\nSubject: big\n\n";
    std::string line(76, 'x');
    line += "\n";
    std::string body;
    body.reserve(size + line.size());
    while (body.size() < size)
        body += line;
    return Poco::replace(report, end, returned + body + "\n" + end);
}

std::string nestedMultiparts(int depth)
{
    std::string head = "From: someone@example.net\nSubject: nested\nMIME-Version: 1.0\n";
    std::string open, close;
    for (int i = 0; i < depth; ++i)
    {
        open += "Content-Type: multipart/mixed; boundary=\"b" + std::to_string(i) + "\"\n\n--b" + std::to_string(i) +
                "\n";
        close = "\n--b" + std::to_string(i) + "--\n" + close;
    }
    return head + open + "Content-Type: text/plain\n\nthe bottom\n" + close;
}
} // namespace TrackingTests
