#ifndef CrmHost_Screen_INCLUDED
#define CrmHost_Screen_INCLUDED

#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace CrmHost
{
/// A file sent with a multipart form (<input type="file">) to a page. Since API 1.2.
struct UploadedFile
{
    std::string field;       /// The name of the form's input.
    std::string filename;    /// As the browser sent it (may hold a path or be empty).
    std::string contentType; /// As the browser sent it; "application/octet-stream" when none.
    std::string bytes;
};

/// What a screen handler receives: the request, already authenticated by the host.
struct Request
{
    std::string method;                        /// GET, POST, ...
    std::string path;                          /// The part after the module's mount point.
    std::map<std::string, std::string> params; /// Path placeholders, query and form fields.
    std::string body;                          /// The raw body (JSON routes; a public route's
                                               /// body of type application/json, since API 1.8:
                                               /// a sending service's webhook).
    long userId = 0;
    long groupId = 0;          /// The group in the URL, or the "group" parameter; 0 if none.
    std::string locale = "en"; /// "en" or "fr".
    std::string csrfToken;     /// To put in the forms a page renders.
    std::function<bool(const std::string& right, long groupId)> hasRight; /// Rights of the user.
    std::vector<UploadedFile> files; /// Files of a page's multipart form, in order. Since API 1.2.
    std::function<bool(long groupId)> moduleEnabled; /// Whether the screen's module is enabled in
                                                     /// that group: a record found by id decides
                                                     /// its group, not the URL. Since API 1.3.
    std::string userAgent;     /// The User-Agent header as sent ("" when none). Since API 1.6.
    std::string clientAddress; /// The peer's IP address ("127.0.0.1", "::1"). Since API 1.6.

    std::string param(const std::string& name, const std::string& fallback = "") const
    {
        auto it = params.find(name);
        return it == params.end() ? fallback : it->second;
    }
};

/// What a screen handler answers. A page's body is placed in the host's layout
/// (title, menu, language switch) unless standalone is set.
struct Response
{
    int status = 200;
    std::string contentType = "text/html; charset=utf-8";
    std::string body;
    std::string title;       /// Page title, shown in the layout.
    std::string location;    /// Set for a redirect (status 303).
    bool standalone = false; /// Send the body as it is (files, downloads).
    std::function<void(std::ostream& out)> stream;
    /// Set for a body too large to hold (a CSV export of a million rows): the host sends the
    /// headers, then calls it once the handler has returned, and sends what it writes as it comes
    /// (chunked transfer encoding); body is then ignored and the answer is standalone. What it
    /// throws is logged and ends the connection, the answer cut. Since API 1.5.

    static Response json(const std::string& body, int status = 200)
    {
        Response r;
        r.status = status;
        r.contentType = "application/json";
        r.body = body;
        r.standalone = true;
        return r;
    }
    static Response redirect(const std::string& location)
    {
        Response r;
        r.status = 303;
        r.location = location;
        r.standalone = true;
        return r;
    }
};

enum class ScreenKind
{
    Page,  /// HTML, mounted at /g/{group}/{module}/{path}, inside the host layout.
    Json,  /// JSON, mounted at /api/v1/{module}/{path}, bearer token required.
    Public /// Mounted at /p/{module}/{path} for people who are not logged in (an unsubscribe
           /// link, a message viewed online): no session, no CSRF token, no right; the
           /// handler checks what the link carries (a signed token). Since API 1.1.
};

/// A screen: an HTML page or a JSON route. Paths may hold placeholders: "campaigns/{id}".
struct Screen
{
    ScreenKind kind = ScreenKind::Page;
    std::string method = "GET"; /// "GET", "POST", or "*" for both.
    std::string path;           /// Relative to the mount point; "" is the module's home.
    std::string menuLabel;      /// Catalogue key of the group menu entry; empty for none.
    std::string requiredRight;  /// The right the user must hold in the group.
    std::function<Response(const Request&)> handler;
};
} // namespace CrmHost

#endif
