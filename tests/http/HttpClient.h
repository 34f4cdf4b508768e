#ifndef CrmHostTests_HttpClient_INCLUDED
#define CrmHostTests_HttpClient_INCLUDED

#include <Poco/JSON/Object.h>
#include <Poco/Types.h>
#include <map>
#include <string>
#include <vector>

namespace Poco::Net
{
class HTTPClientSession;
}

namespace CrmHostTests
{
/// An HTTP answer as a client sees it.
struct HttpAnswer
{
    int status = 0;
    std::string body;
    std::string contentType;
    std::string location;
    std::vector<std::string> setCookies;        /// Every Set-Cookie header, as sent.
    std::map<std::string, std::string> headers; /// Every other header, its name in lower case.

    std::string header(const std::string& name) const;
    /// The header (any case), or "" when the answer has none.

    std::string setCookie(const std::string& name) const;
    /// The Set-Cookie header of this cookie, or "" when the answer sets none.
    std::string csrfToken() const;
    /// The value of the first <input type="hidden" name="csrf" value="..."> of the page, or "".
};

/// A browser of one user against one server: it keeps the cookies it is given and sends them
/// back, asks for English unless told otherwise, and follows no redirect by itself.
class Browser
{
public:
    explicit Browser(Poco::UInt16 port);

    HttpAnswer get(const std::string& path);
    HttpAnswer post(const std::string& path, const std::map<std::string, std::string>& form);
    /// A form POST (application/x-www-form-urlencoded), the fields as given.

    HttpAnswer logIn(const std::string& login, const std::string& password);
    /// Opens the login page, and posts the form with its CSRF token.

    std::string cookie(const std::string& name) const;
    void setAcceptLanguage(const std::string& header) { _acceptLanguage = header; }
    void setHeader(const std::string& name, const std::string& value);
    /// Sends this header with every request from now on; an empty value stops it.

private:
    HttpAnswer send(const std::string& method, const std::string& path,
                    const std::map<std::string, std::string>* form);

    Poco::UInt16 _port;
    std::string _acceptLanguage = "en";
    std::map<std::string, std::string> _cookies;
    std::map<std::string, std::string> _headers;
};

std::string match(const std::string& text, const std::string& pattern);
/// The first group of the first match of pattern (multi-line: ^ and $ match at each line) in
/// text. Throws Poco::DataFormatException, with the pattern and the start of the text, when
/// nothing matches.

bool contains(const std::string& text, const std::string& part);

std::string unescapeHtml(const std::string& html);
/// The text a browser shows for escaped HTML: mustache writes "/" as "&#x2F;", and so on.

Poco::JSON::Object::Ptr objectOf(const HttpAnswer& answer);
/// The answer's body as a JSON object. Throws Poco's JSON exception when it is not one.

HttpAnswer answerOf(Poco::Net::HTTPClientSession& session);
/// The answer to the request just sent on the session: status, body, headers and cookies.

HttpAnswer apiGet(Poco::UInt16 port, const std::string& path, const std::string& token);
/// A GET with "Authorization: Bearer TOKEN" (none when token is empty).

HttpAnswer apiRequest(Poco::UInt16 port, const std::string& method, const std::string& path,
                      const std::string& token, const std::string& body = "");
/// A request of the module's JSON API, /api/v1/massmailing/PATH, with the token and, unless it is
/// a GET, the JSON body. Waits two minutes for the answer (a send of thousands may be scheduled).
} // namespace CrmHostTests

#endif
