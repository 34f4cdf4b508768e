#include "WebRequestHandler.h"
#include "CrmHost/Exceptions.h"
#include "LogText.h"
#include "PasswordHasher.h"
#include "RequestBody.h"
#include "Routes.h"
#include "SameOrigin.h"
#include "SecurityHeaders.h"
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/Net/NullPartHandler.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/URI.h>
#include <optional>
#include <sstream>

namespace CrmHost
{
namespace
{
const char* const SESSION_COOKIE = "crmhost_session";
const char* const LOGIN_CSRF_COOKIE = "crmhost_login_csrf";
const std::size_t MAX_FIELD = 16 * 1024 * 1024;

// Keeps the files of a multipart form (their total is bounded by RequestBody); an empty file
// input is left out.
class UploadCollector : public Poco::Net::PartHandler
{
public:
    explicit UploadCollector(std::vector<UploadedFile>& files) : _files(files) {}

    void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override
    {
        std::string disposition;
        Poco::Net::NameValueCollection parameters;
        Poco::Net::MessageHeader::splitParameters(header.get("Content-Disposition", ""), disposition,
                                                  parameters);
        UploadedFile file{parameters.get("name", ""), parameters.get("filename", ""),
                          header.get("Content-Type", "application/octet-stream"), std::string()};
        char buffer[65536];
        while (stream.read(buffer, sizeof buffer) || stream.gcount() > 0)
            file.bytes.append(buffer, std::size_t(stream.gcount()));
        if (!file.filename.empty() || !file.bytes.empty())
            _files.push_back(std::move(file));
    }

private:
    std::vector<UploadedFile>& _files;
};

Poco::Logger& logger()
{
    return Poco::Logger::get("crmhost.http");
}

std::string jsonError(const std::string& code, const std::string& message, const std::string& field)
{
    Poco::JSON::Object error;
    error.set("code", code);
    error.set("message", message);
    error.set("field", field);
    Poco::JSON::Object root;
    root.set("error", error);
    std::ostringstream out;
    root.stringify(out);
    return out.str();
}

Poco::Net::HTTPCookie cookie(const std::string& name, const std::string& value)
{
    Poco::Net::HTTPCookie c(name, value);
    c.setPath("/");
    c.setHttpOnly(true);
    c.setSameSite(Poco::Net::HTTPCookie::SAME_SITE_LAX);
    return c;
}

// The fields of the body only (url-encoded or multipart, files to the handler), read through
// the cap of RequestBody: the query's fields are the request's, never the form's.
void loadForm(Poco::Net::HTTPServerRequest& http, Poco::Net::HTMLForm& form, Poco::Net::PartHandler& files)
{
    RequestBody body(http);
    Poco::Net::HTTPRequest bodyOnly(http.getMethod(), "/");
    if (http.has("Content-Type"))
        bodyOnly.setContentType(http.getContentType());
    try
    {
        form.load(bodyOnly, body, files);
    }
    catch (const Poco::Exception&)
    {
        body.check(); // a form cut at the cap is too large, not malformed
        throw;
    }
    body.check();
}

bool startsWith(const std::string& text, const std::string& prefix)
{
    return text.compare(0, prefix.size(), prefix) == 0;
}

// "/g/12/massmailing/campaigns/3" -> {"12", "massmailing", "campaigns/3"}
std::vector<std::string> splitFirst(const std::string& path, int parts)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (int(out.size()) < parts - 1 && start <= path.size())
    {
        std::size_t slash = path.find('/', start);
        if (slash == std::string::npos)
            break;
        out.push_back(path.substr(start, slash - start));
        start = slash + 1;
    }
    out.push_back(start <= path.size() ? path.substr(start) : "");
    return out;
}
} // namespace

WebRequestHandler::WebRequestHandler(Host& host, HostPages& pages) : _host(host), _pages(pages) {}

void WebRequestHandler::handleRequest(Poco::Net::HTTPServerRequest& http, Poco::Net::HTTPServerResponse& out)
{
    Request request;
    request.method = http.getMethod();
    // The path as sent, for the kind of answer and the log, before anything can fail.
    const std::string path = http.getURI().substr(0, http.getURI().find('?'));
    request.path = path;
    request.userAgent = http.get("User-Agent", "");
    request.clientAddress =
        _host.clientAddress().of(http.clientAddress().host().toString(), http.get("X-Forwarded-For", ""));
    const ScreenKind kind = startsWith(path, "/api/") ? ScreenKind::Json
                            : startsWith(path, "/p/") ? ScreenKind::Public
                                                      : ScreenKind::Page;
    const bool json = kind == ScreenKind::Json;
    Poco::Net::NameValueCollection cookies;
    http.getCookies(cookies);
    std::string lang = cookies.get("lang", "");
    request.locale =
        lang == "fr" || lang == "en" ? lang : Catalogue::negotiate(http.get("Accept-Language", ""));

    // Whatever a handler throws, std::exception or not, is logged with the path and answered
    // 500: one failing request never takes the server down, nor leaves the client unanswered.
    try
    {
        try
        {
            std::optional<Poco::URI> uri;
            try
            {
                uri.emplace(http.getURI());
            }
            catch (const Poco::SyntaxException& error)
            {
                throw RequestError(400, "bad_uri", "The address is malformed: " + error.message() + ".");
            }
            request.path = uri->getPath();
            for (const auto& [name, value] : uri->getQueryParameters())
                request.params[name] = value;
            if (!SameOrigin(_host.publicUrl()).allows(http))
            {
                logger().warning("%s %s refused: from another site (Origin \"%s\", Referer \"%s\")",
                                 logText(request.method), logText(path), logText(http.get("Origin", "")),
                                 logText(http.get("Referer", "")));
                throw RequestError(403, "cross_origin",
                                   _pages.renderer().translate("host.error.crossOrigin", request.locale));
            }
            Response response = json                         ? handleApi(http, request)
                                : kind == ScreenKind::Public ? handlePublic(http, request)
                                                             : handlePage(http, out, request);
            send(out, request, std::move(response), kind, &http);
        }
        catch (const RequestError& error)
        {
            if (error.status() == 413)
                out.setKeepAlive(false); // the rest of the body is not read: no next request follows it
            send(out, request,
                 json
                     ? Response::json(jsonError(error.code(), error.message(), error.field()), error.status())
                     : _pages.error(request, error.status(),
                                    _pages.renderer().translate(error.status() == 403
                                                                    ? "host.error.forbidden"
                                                                    : "host.error.badRequest",
                                                                request.locale),
                                    error.message()),
                 kind);
        }
    }
    catch (const Poco::Exception& error)
    {
        internalError(out, request, kind, path, error.displayText());
    }
    catch (const std::exception& error)
    {
        internalError(out, request, kind, path, error.what());
    }
    catch (...)
    {
        internalError(out, request, kind, path, "an exception that is no std::exception");
    }
}

void WebRequestHandler::internalError(Poco::Net::HTTPServerResponse& out, const Request& request,
                                      ScreenKind kind, const std::string& path, const std::string& what)
{
    try
    {
        logger().error("%s %s failed: %s", logText(request.method), logText(path), logText(what));
        if (out.sent())
            return; // the answer was already under way: the connection ends with it
        std::string message = _pages.renderer().translate("host.error.internal", request.locale);
        send(out, request,
             kind == ScreenKind::Json ? Response::json(jsonError("internal", message, ""), 500)
                                      : _pages.error(request, 500, message, message),
             kind);
    }
    catch (...)
    {
        // Even the error page failed (the layout asks the database): a plain answer.
        if (!out.sent())
        {
            out.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
            out.setContentType("text/plain; charset=utf-8");
            SecurityHeaders::apply(out, ScreenKind::Public);
            out.send() << "Internal error. It was logged.\n";
        }
    }
}

void WebRequestHandler::bindRights(Request& request)
{
    request.hasRight =
        [&accounts = _host.accounts(), userId = request.userId](const std::string& right, long groupId)
    { return accounts.hasRight(userId, right, groupId); };
}

Response WebRequestHandler::handleApi(Poco::Net::HTTPServerRequest& http, Request& request)
{
    std::string authorization = http.get("Authorization", "");
    std::optional<User> user;
    if (startsWith(authorization, "Bearer "))
        user = _host.accounts().userByApiToken(authorization.substr(7));
    if (!user)
        throw RequestError(401, "unauthorized",
                           "A valid API token is required (Authorization: Bearer TOKEN).");
    request.userId = user->id;
    bindRights(request);

    request.body = RequestBody(http).readAll();
    if (!request.param("group").empty())
        Poco::NumberParser::tryParse64(request.param("group"), request.groupId);
    else if (!request.body.empty() && request.body.front() == '{')
    {
        try
        {
            auto object = Poco::JSON::Parser().parse(request.body).extract<Poco::JSON::Object::Ptr>();
            if (object->has("group"))
                request.groupId = long(object->getValue<Poco::Int64>("group"));
        }
        catch (const Poco::Exception&)
        {
            // The module reports a malformed body with the field at fault.
        }
    }
    const std::string prefix = "/api/v1/";
    auto parts = startsWith(request.path, prefix) ? splitFirst(request.path.substr(prefix.size()), 2)
                                                  : std::vector<std::string>{};
    if (parts.size() < 2)
        throw RequestError(404, "not_found", "No API route at " + request.path + ".");
    return moduleScreen(request, ScreenKind::Json, parts[0], parts[1]);
}

Response WebRequestHandler::handlePublic(Poco::Net::HTTPServerRequest& http, Request& request)
{
    // A JSON body (a sending service's webhook, API 1.8) is handed over as it came; a form's
    // fields become parameters.
    if (Poco::toLower(http.getContentType()).rfind("application/json", 0) == 0)
        request.body = RequestBody(http).readAll();
    else
    {
        Poco::Net::HTMLForm form;
        Poco::Net::NullPartHandler files;
        loadForm(http, form, files);
        for (const auto& [name, value] : form)
            request.params[name] = value;
    }
    request.hasRight = [](const std::string&, long) { return false; };
    auto parts = splitFirst(request.path.substr(3), 2);
    return moduleScreen(request, ScreenKind::Public, parts[0], parts.size() > 1 ? parts[1] : "");
}

Response WebRequestHandler::handlePage(Poco::Net::HTTPServerRequest& http, Poco::Net::HTTPServerResponse& out,
                                       Request& request)
{
    if (startsWith(request.path, "/assets/"))
        return _pages.asset(request.path.substr(8));
    Poco::Net::NameValueCollection cookies;
    http.getCookies(cookies);
    // A session row is made at login, never for a visitor: the login form's token is then a
    // cookie of its own that the form must repeat (double submit), and a probe stores nothing.
    auto session = _host.accounts().findSession(cookies.get(SESSION_COOKIE, ""));
    if (session)
    {
        request.userId = session->userId;
        request.csrfToken = session->csrfToken;
    }
    else
    {
        request.csrfToken = cookies.get(LOGIN_CSRF_COOKIE, "");
        if (request.csrfToken.size() != 64)
        {
            request.csrfToken = PasswordHasher::randomToken();
            out.addCookie(cookie(LOGIN_CSRF_COOKIE, request.csrfToken));
        }
    }

    // Fields up to MAX_FIELD (a message body with pasted images is larger than Poco's 256 KB);
    // files go to request.files.
    Poco::Net::HTMLForm form;
    form.setValueLengthLimit(int(MAX_FIELD));
    UploadCollector uploads(request.files);
    loadForm(http, form, uploads);
    for (const auto& [name, value] : form)
        request.params[name] = value;

    const std::string& locale = request.locale;
    auto text = [&](const std::string& key) { return _pages.renderer().translate(key, locale); };

    // The token comes in the form's body or the X-CSRF-Token header, never in the URL (where
    // logs, the history and Referers would keep it).
    std::string sentToken = form.get("csrf", http.get("X-CSRF-Token", ""));
    if (request.method != "GET" && request.method != "HEAD" && sentToken != request.csrfToken)
        return _pages.error(request, 403, text("host.error.forbidden"), text("host.error.csrf"));

    if (request.path == "/lang")
    {
        std::string to = request.param("to") == "fr" ? "fr" : "en";
        out.addCookie(cookie("lang", to));
        // Back to the page the switch was on, on this site only (the path of the Referer).
        std::string back = Poco::URI(http.get("Referer", "/")).getPathEtc();
        return Response::redirect(back.empty() || back[0] != '/' ? "/" : back);
    }
    if (request.path == "/login")
    {
        if (request.method != "POST")
            return _pages.login(request, "");
        // Throttled before the password is looked at: a guess then costs nothing and tells nothing.
        std::string login = request.param("login"), address = request.clientAddress;
        Poco::Timespan wait = _host.loginThrottle().wait(login, address);
        if (wait > 0)
        {
            logger().warning("Login for \"%s\" from %s refused: too many failed attempts", logText(login),
                             address);
            Response refused = _pages.login(
                request,
                _host.catalogue().text("host.login.throttled", locale,
                                       {{"minutes", std::to_string((wait.totalSeconds() + 59) / 60)}}));
            refused.status = 429;
            out.set("Retry-After",
                    std::to_string(std::max<Poco::Timespan::TimeDiff>(1, wait.totalSeconds())));
            return refused;
        }
        auto user = _host.accounts().authenticate(login, request.param("password"));
        if (!user)
        {
            _host.loginThrottle().failed(login, address);
            logger().warning("Failed login for \"%s\" from %s", logText(login), address);
            return _pages.login(request, text("host.login.wrong"));
        }
        _host.loginThrottle().succeeded(login);
        // A new session id at login, so that an id planted before login is worthless.
        if (session)
            _host.accounts().closeSession(session->id);
        out.addCookie(cookie(SESSION_COOKIE, _host.accounts().openSession(user->id).id));
        return Response::redirect("/");
    }
    if (request.userId == 0)
        return Response::redirect("/login");
    bindRights(request);

    if (request.path == "/logout" && request.method == "POST")
    {
        _host.accounts().closeSession(session->id);
        return Response::redirect("/login");
    }
    if (request.path == "/")
        return _pages.home(request);
    if (request.path == "/account/notifications")
        return _pages.notifications(request);
    if (request.path == "/admin/modules")
    {
        if (!_host.accounts().hasRight(request.userId, "host.admin", Accounts::ALL_GROUPS))
            return _pages.error(request, 403, text("host.error.forbidden"),
                                text("host.error.forbidden.admin"));
        return request.method == "POST" ? _pages.changeModule(request) : _pages.modules(request);
    }
    if (request.path == "/admin/inbound" || startsWith(request.path, "/admin/inbound/"))
    {
        if (!_host.accounts().hasRight(request.userId, "host.admin", Accounts::ALL_GROUPS))
            return _pages.error(request, 403, text("host.error.forbidden"),
                                text("host.error.forbidden.inbound"));
        if (request.path == "/admin/inbound")
            return _pages.inbound(request);
        if (request.path == "/admin/inbound/message")
            return _pages.inboundMessage(request);
        if (request.path == "/admin/inbound/raw")
            return _pages.inboundRaw(request);
    }
    if (startsWith(request.path, "/g/"))
    {
        auto parts = splitFirst(request.path.substr(3), 3);
        Poco::NumberParser::tryParse64(parts[0], request.groupId);
        auto group = _host.groups().find(request.groupId);
        if (group && _host.accounts().canSeeGroup(request.userId, group->id))
        {
            if (parts.size() == 1 || (parts.size() == 2 && parts[1].empty()))
                return _pages.group(request, *group);
            if (parts.size() == 2 && parts[1] == "members")
                return _pages.members(request, *group);
            return moduleScreen(request, ScreenKind::Page, parts[1], parts.size() > 2 ? parts[2] : "");
        }
    }
    return _pages.error(request, 404, text("host.error.notFound"), text("host.error.notFound.text"));
}

Response WebRequestHandler::moduleScreen(Request& request, ScreenKind kind, const std::string& module,
                                         const std::string& subPath)
{
    bool json = kind == ScreenKind::Json;
    auto notFound = [&]()
    {
        if (json)
            throw RequestError(404, "not_found", "No API route " + request.method + " " + request.path + ".");
        return _pages.error(request, 404, _pages.renderer().translate("host.error.notFound", request.locale),
                            _pages.renderer().translate("host.error.notFound.text", request.locale));
    };
    Screen screen;
    bool found = false;
    for (const auto& [id, owned] : _host.extensions().screens.all())
    {
        const Screen& candidate = owned.entry;
        if (owned.owner == module && candidate.kind == kind &&
            (candidate.method == "*" || candidate.method == request.method) &&
            matchPath(candidate.path, subPath, request.params))
        {
            screen = candidate;
            found = true;
            break;
        }
    }
    if (!found)
        return notFound();
    // A record the module finds by id belongs to a group of its own, which decides (not the URL).
    request.moduleEnabled = [&groups = _host.groups(), module](long groupId)
    { return groups.isEnabled(module, groupId); };
    if (kind == ScreenKind::Public)
    {
        request.path = subPath;
        return screen.handler(request);
    }

    // A module's screens exist only in the groups where it is enabled.
    bool allowed = false;
    if (request.groupId != 0)
    {
        if (!_host.groups().isEnabled(module, request.groupId))
        {
            if (json)
                throw RequestError(404, "module_not_enabled",
                                   "The module " + module + " is not enabled in group " +
                                       std::to_string(request.groupId) + ".",
                                   "group");
            return notFound();
        }
        allowed = screen.requiredRight.empty() ||
                  _host.accounts().hasRight(request.userId, screen.requiredRight, request.groupId);
    }
    else
        allowed = screen.requiredRight.empty() ||
                  _host.accounts().hasRightSomewhere(request.userId, screen.requiredRight);
    if (!allowed)
    {
        std::string message = _host.catalogue().text("host.error.forbidden.right", request.locale,
                                                     {{"right", screen.requiredRight}});
        if (json)
            throw RequestError(403, "forbidden", message);
        return _pages.error(request, 403, _pages.renderer().translate("host.error.forbidden", request.locale),
                            message);
    }
    request.path = subPath;
    return screen.handler(request);
}

std::string WebRequestHandler::layout(const Request& request, const Response& response)
{
    mstch::map context{{"title", response.title}, {"body", response.body}, {"csrf", request.csrfToken}};
    if (request.userId != 0)
    {
        auto user = _host.accounts().findUser(request.userId);
        context.emplace("user", mstch::map{{"login", user ? user->login : std::string()}});
        context.emplace("isAdmin",
                        _host.accounts().hasRight(request.userId, "host.admin", Accounts::ALL_GROUPS));
    }
    if (request.groupId != 0)
    {
        auto group = _host.groups().find(request.groupId);
        if (group)
        {
            std::string base = "/g/" + std::to_string(group->id);
            auto entry = [](const std::string& id, const std::string& label, const std::string& href) {
                return mstch::map{{"id", id}, {"label", label}, {"href", href}};
            };
            mstch::array menu{
                entry("home", _pages.renderer().translate("host.group.home", request.locale), base),
                entry("members", _pages.renderer().translate("host.members.title", request.locale),
                      base + "/members")};
            auto rights = _host.accounts().rights(request.userId, group->id);
            for (const auto& [id, owned] : _host.extensions().screens.all())
            {
                const Screen& screen = owned.entry;
                if (screen.kind != ScreenKind::Page || screen.menuLabel.empty() ||
                    !_host.groups().isEnabled(owned.owner, group->id) ||
                    (!screen.requiredRight.empty() && !rights.count(screen.requiredRight)))
                    continue;
                // A module's first page is named by the module; its other entries by their path too.
                const std::string menuId =
                    screen.path.empty() ? owned.owner : owned.owner + "/" + screen.path;
                menu.push_back(entry(menuId, _host.catalogue().text(screen.menuLabel, request.locale),
                                     base + "/" + owned.owner + "/" + screen.path));
            }
            context.emplace("group", mstch::map{{"name", group->name}, {"menu", menu}});
        }
    }
    return _pages.renderer().render("layout", context, request.locale);
}

void WebRequestHandler::send(Poco::Net::HTTPServerResponse& out, const Request& request, Response response,
                             ScreenKind kind, Poco::Net::HTTPServerRequest* http)
{
    if (!response.location.empty())
    {
        out.set("Location", response.location);
        if (response.status == 200)
            response.status = 303;
    }
    out.setStatusAndReason(Poco::Net::HTTPResponse::HTTPStatus(response.status));
    out.setContentType(response.contentType);
    SecurityHeaders::apply(out, kind);
    out.set("Cache-Control", "no-store");
    if (response.stream)
    {
        // Written as it comes, in chunks: the size is not known before the end.
        out.setChunkedTransferEncoding(true);
        std::ostream& body = out.send();
        try
        {
            response.stream(body);
            body.flush();
        }
        catch (...)
        {
            // Headers and part of the body are gone: no error page can follow. The connection is
            // shut before the last chunk, which tells the client the answer is incomplete.
            out.setKeepAlive(false);
            if (auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(http))
            {
                try
                {
                    impl->socket().shutdown();
                }
                catch (const Poco::Exception&)
                {
                    // Already gone.
                }
            }
            throw;
        }
        return;
    }
    std::string body =
        kind == ScreenKind::Json || response.standalone ? response.body : layout(request, response);
    out.setContentLength(std::streamsize(body.size()));
    out.send() << body;
}
} // namespace CrmHost
