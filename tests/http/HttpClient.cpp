#include "HttpClient.h"
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/RegularExpression.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

namespace CrmHostTests
{
HttpAnswer answerOf(Poco::Net::HTTPClientSession& session)
{
    Poco::Net::HTTPResponse response;
    std::istream& body = session.receiveResponse(response);
    HttpAnswer answer;
    answer.status = response.getStatus();
    Poco::StreamCopier::copyToString(body, answer.body);
    answer.contentType = response.getContentType();
    answer.location = response.get("Location", "");
    for (const auto& [name, value] : response)
        if (Poco::icompare(name, "Set-Cookie") == 0)
            answer.setCookies.push_back(value);
        else
            answer.headers[Poco::toLower(name)] = value;
    return answer;
}

namespace
{
HttpAnswer exchange(Poco::UInt16 port, Poco::Net::HTTPRequest& request, Poco::Net::HTMLForm* form)
{
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(20, 0));
    if (!request.has("Accept-Language"))
        request.set("Accept-Language", "en");
    if (form)
    {
        form->prepareSubmit(request);
        std::ostream& body = session.sendRequest(request);
        form->write(body);
    }
    else
        session.sendRequest(request);

    return answerOf(session);
}
} // namespace

std::string HttpAnswer::setCookie(const std::string& name) const
{
    for (const auto& header : setCookies)
        if (header.compare(0, name.size() + 1, name + "=") == 0)
            return header;
    return "";
}

std::string HttpAnswer::header(const std::string& name) const
{
    auto it = headers.find(Poco::toLower(name));
    return it == headers.end() ? "" : it->second;
}

std::string HttpAnswer::csrfToken() const
{
    Poco::RegularExpression input("<input type=\"hidden\" name=\"csrf\" value=\"([^\"]*)\">");
    std::vector<std::string> groups;
    return input.split(body, groups) == 2 ? groups[1] : "";
}

Browser::Browser(Poco::UInt16 port) : _port(port) {}

HttpAnswer Browser::get(const std::string& path)
{
    return send(Poco::Net::HTTPRequest::HTTP_GET, path, nullptr);
}

HttpAnswer Browser::post(const std::string& path, const std::map<std::string, std::string>& form)
{
    return send(Poco::Net::HTTPRequest::HTTP_POST, path, &form);
}

HttpAnswer Browser::logIn(const std::string& login, const std::string& password)
{
    std::string csrf = get("/login").csrfToken();
    return post("/login", {{"csrf", csrf}, {"login", login}, {"password", password}});
}

void Browser::setHeader(const std::string& name, const std::string& value)
{
    if (value.empty())
        _headers.erase(name);
    else
        _headers[name] = value;
}

std::string Browser::cookie(const std::string& name) const
{
    auto it = _cookies.find(name);
    return it == _cookies.end() ? "" : it->second;
}

HttpAnswer Browser::send(const std::string& method, const std::string& path,
                         const std::map<std::string, std::string>* fields)
{
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Accept-Language", _acceptLanguage);
    for (const auto& [name, value] : _headers)
        request.set(name, value);
    if (!_cookies.empty())
    {
        Poco::Net::NameValueCollection cookies;
        for (const auto& [name, value] : _cookies)
            cookies.add(name, value);
        request.setCookies(cookies);
    }
    Poco::Net::HTMLForm form;
    if (fields)
        for (const auto& [name, value] : *fields)
            form.add(name, value);
    HttpAnswer answer = exchange(_port, request, fields ? &form : nullptr);
    // "name=value; Path=/; HttpOnly": the jar keeps name and value, as a browser sends them back.
    for (const auto& header : answer.setCookies)
    {
        std::string pair = header.substr(0, header.find(';'));
        auto equals = pair.find('=');
        if (equals != std::string::npos)
            _cookies[Poco::trim(pair.substr(0, equals))] = Poco::trim(pair.substr(equals + 1));
    }
    return answer;
}

std::string match(const std::string& text, const std::string& pattern)
{
    std::vector<std::string> groups;
    if (Poco::RegularExpression(pattern, Poco::RegularExpression::RE_MULTILINE).split(text, groups) < 2)
        throw Poco::DataFormatException("nothing matches /" + pattern + "/ in:\n" + text.substr(0, 8000));
    return groups[1];
}

bool contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

std::string unescapeHtml(const std::string& html)
{
    std::string text = html;
    for (const auto& [entity, character] : {std::pair<std::string, std::string>{"&#x2F;", "/"},
                                            {"&quot;", "\""},
                                            {"&#39;", "'"},
                                            {"&lt;", "<"},
                                            {"&gt;", ">"},
                                            {"&amp;", "&"}})
        Poco::replaceInPlace(text, entity, character);
    return text;
}

HttpAnswer apiGet(Poco::UInt16 port, const std::string& path, const std::string& token)
{
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!token.empty())
        request.set("Authorization", "Bearer " + token);
    return exchange(port, request, nullptr);
}

HttpAnswer apiRequest(Poco::UInt16 port, const std::string& method, const std::string& path,
                      const std::string& token, const std::string& body)
{
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(120, 0));
    Poco::Net::HTTPRequest request(method, "/api/v1/massmailing/" + path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + token);
    if (method != Poco::Net::HTTPRequest::HTTP_GET)
    {
        request.setContentType("application/json");
        request.setContentLength(std::streamsize(body.size()));
        session.sendRequest(request) << body;
    }
    else
        session.sendRequest(request);
    return answerOf(session);
}
Poco::JSON::Object::Ptr objectOf(const HttpAnswer& answer)
{
    return Poco::JSON::Parser().parse(answer.body).extract<Poco::JSON::Object::Ptr>();
}
} // namespace CrmHostTests
