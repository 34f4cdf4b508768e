#include "TransportException.h"
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <cctype>
#include <typeinfo>

namespace MassMailing
{
namespace
{
// The words of a server's text, lower case, without its addresses and host names (a token
// with "@", or a dot between two letters or digits): "pirate@corporate.example" is no word.
std::vector<std::string> wordsOf(const std::string& text)
{
    std::vector<std::string> words;
    Poco::StringTokenizer tokens(Poco::toLower(text), " \t\r\n", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (const auto& token : tokens)
    {
        bool name = token.find('@') != std::string::npos;
        for (std::size_t i = 1; !name && i + 1 < token.size(); ++i)
            name = token[i] == '.' && std::isalnum(static_cast<unsigned char>(token[i - 1])) &&
                   std::isalnum(static_cast<unsigned char>(token[i + 1]));
        if (name)
            continue;
        std::string word;
        for (char c : token + " ")
        {
            if (std::isalpha(static_cast<unsigned char>(c)))
                word += c;
            else if (!word.empty())
            {
                words.push_back(word);
                word.clear();
            }
        }
    }
    return words;
}

bool startsWith(const std::string& word, const std::string& start)
{
    return word.compare(0, start.size(), start) == 0;
}

// The enhanced status code (RFC 3463) at the start of the text, "" when there is none.
std::string enhancedCode(const std::string& text)
{
    const std::string trimmed = Poco::trim(text);
    const std::string first = trimmed.substr(0, trimmed.find(' '));
    int dots = 0;
    for (char c : first)
    {
        if (c == '.')
            ++dots;
        else if (!std::isdigit(static_cast<unsigned char>(c)))
            return "";
    }
    return dots == 2 ? first : "";
}
} // namespace

bool TransportException::asksToSlowDown() const
{
    if (replyCode() == 421)
        return true;
    if (replyCode() != 451)
        return false;
    if (enhancedCode(_serverText) == "4.7.28")
        return true;
    std::vector<std::string> words = wordsOf(_serverText);
    for (std::size_t i = 0; i < words.size(); ++i)
    {
        const std::string& word = words[i];
        const std::string next = i + 1 < words.size() ? words[i + 1] : "";
        if (startsWith(word, "ratelimit") || startsWith(word, "throttl") ||
            (word == "rate" && (startsWith(next, "limit") || next == "exceeded")) ||
            (word == "too" && next == "many") || (word == "slow" && next == "down"))
            return true;
    }
    return false;
}

TransportException::TransportException(const std::string& message, int replyCode,
                                       const std::string& serverText, Stage stage, bool inDoubt,
                                       std::vector<Rejection> rejections)
    : Poco::IOException(message, replyCode), _serverText(serverText), _stage(stage), _inDoubt(inDoubt),
      _rejections(std::move(rejections))
{
}

bool TransportException::temporary() const
{
    return code() < 500 || code() > 599;
}

const char* TransportException::stageName(Stage stage)
{
    switch (stage)
    {
    case Stage::Connect:
        return "connect";
    case Stage::Tls:
        return "tls";
    case Stage::Authentication:
        return "authentication";
    case Stage::Sender:
        return "sender";
    case Stage::Recipients:
        return "recipients";
    case Stage::Data:
        return "data";
    }
    return "unknown";
}

const char* TransportException::name() const noexcept
{
    return "Transport failure";
}

const char* TransportException::className() const noexcept
{
    return typeid(*this).name();
}

Poco::Exception* TransportException::clone() const
{
    return new TransportException(*this);
}

void TransportException::rethrow() const
{
    throw *this;
}
} // namespace MassMailing
