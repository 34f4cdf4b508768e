#include "HostPages.h"
#include "CrmHost/Exceptions.h"
#include "NotificationSettings.h"
#include <Poco/Data/Statement.h>
#include <Poco/DateTime.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/FileStream.h>
#include <Poco/NumberFormatter.h>
#include <Poco/NumberParser.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

using namespace Poco::Data::Keywords;

namespace CrmHost
{
HostPages::HostPages(Host& host)
    : _host(host), _renderer(host.resourceDir() + "/templates", "host", host.catalogue())
{
}

std::string HostPages::kindLabel(const std::string& kind, const std::string& locale) const
{
    return _renderer.translate("host.kind." + kind, locale);
}

Response HostPages::login(const Request& request, const std::string& error)
{
    Response response;
    response.status = error.empty() ? 200 : 401;
    response.title = _renderer.translate("host.login.title", request.locale);
    response.body = _renderer.render(
        "login", mstch::map{{"csrf", request.csrfToken}, {"error", error}, {"login", request.param("login")}},
        request.locale);
    return response;
}

Response HostPages::asset(const std::string& name) const
{
    // The scripts the host's pages load instead of inline ones (the CSP allows no inline script).
    Response response;
    response.standalone = true;
    if (name != "host.js")
    {
        response.status = 404;
        response.contentType = "text/plain; charset=utf-8";
        response.body = "no such asset\n";
        return response;
    }
    Poco::FileInputStream in(_host.resourceDir() + "/host-sdk/web/" + name);
    response.contentType = "text/javascript; charset=utf-8";
    Poco::StreamCopier::copyToString(in, response.body);
    return response;
}

Response HostPages::home(const Request& request)
{
    mstch::array groups;
    for (const auto& group : _host.groups().visibleTo(request.userId))
        groups.push_back(mstch::map{{"id", std::to_string(group.id)},
                                    {"name", group.name},
                                    {"kindLabel", kindLabel(group.kind, request.locale)}});
    Response response;
    response.title = _renderer.translate("host.home.title", request.locale);
    response.body = _renderer.render("home", mstch::map{{"groups", groups}}, request.locale);
    return response;
}

Response HostPages::group(const Request& request, const Group& group)
{
    Response response;
    response.title = group.name;
    response.body = _renderer.render("group",
                                     mstch::map{{"name", group.name},
                                                {"kindLabel", kindLabel(group.kind, request.locale)},
                                                {"members", std::to_string(_host.groups().count(group.id))}},
                                     request.locale);
    return response;
}

Response HostPages::members(const Request& request, const Group& group)
{
    const long pageSize = 50;
    int page = 0;
    Poco::NumberParser::tryParse(request.param("page", "0"), page);
    long offset = long(std::max(page, 0)) * pageSize;

    // The people of the group, or of one target of a recipient loader (A2): the same
    // categories that a module's audiences use.
    RecipientQuery source{
        "SELECT 'person' AS kind, p.id, COALESCE(p.email, '') AS email, p.first_name, p.last_name, "
        "'' AS company, p.locale FROM memberships m JOIN people p ON p.id = m.person_id "
        "WHERE m.group_id = ?",
        {std::to_string(group.id)}};
    mstch::array filters;
    int chosen = -1;
    Poco::NumberParser::tryParse(request.param("target", "-1"), chosen);
    int index = 0;
    for (const auto& [name, owned] : _host.extensions().loaders.all())
    {
        for (const auto& target : owned.entry->targets(group.id))
        {
            std::string label = _host.catalogue().text(target.label, request.locale, target.params);
            if (index == chosen)
                source = owned.entry->query(target, group.id, _host.database().dialect());
            filters.push_back(mstch::map{
                {"index", std::to_string(index)}, {"label", label}, {"selected", index == chosen}});
            ++index;
        }
    }

    Poco::Data::Session session = _host.database().session();
    Poco::Data::Statement select(session);
    std::vector<std::string> first, last, email, login;
    select
        << "SELECT r.first_name, r.last_name, r.email, COALESCE(CAST(p.last_login_at AS CHAR), '') FROM (" +
               source.sql +
               ") r LEFT JOIN people p ON r.kind = 'person' AND p.id = r.id "
               "ORDER BY r.last_name, r.first_name, r.id LIMIT " +
               std::to_string(pageSize) + " OFFSET " + std::to_string(offset),
        into(first), into(last), into(email), into(login);
    for (const auto& value : source.bindings)
        select, bind(value);
    select.execute();
    Poco::Data::Statement count(session);
    Poco::Int64 total = 0;
    count << "SELECT COUNT(*) FROM (" + source.sql + ") r", into(total);
    for (const auto& value : source.bindings)
        count, bind(value);
    count.execute();

    // The modules' links beside each person (API 1.6), of the modules enabled in the group, for
    // the rights the user holds there.
    struct Link
    {
        std::string label, prefix, path;
    };
    std::vector<Link> links;
    auto rights = _host.accounts().rights(request.userId, group.id);
    for (const auto& [name, owned] : _host.extensions().memberLinks.all())
        if (_host.groups().isEnabled(owned.owner, group.id) &&
            (owned.entry.requiredRight.empty() || rights.count(owned.entry.requiredRight)))
            links.push_back({_host.catalogue().text(owned.entry.label, request.locale),
                             "/g/" + std::to_string(group.id) + "/" + owned.owner + "/", owned.entry.path});

    mstch::array people;
    for (std::size_t i = 0; i < first.size(); ++i)
    {
        mstch::array personLinks;
        std::string address;
        Poco::URI::encode(email[i], "?&=+#%/;@:$,\"'<> ", address);
        for (const auto& link : links)
            if (!email[i].empty())
                personLinks.push_back(mstch::map{
                    {"label", link.label},
                    {"href", link.prefix + Poco::replace(link.path, std::string("{email}"), address)}});
        people.push_back(mstch::map{
            {"firstName", first[i]},
            {"lastName", last[i]},
            {"email", email[i]},
            {"links", personLinks},
            {"lastLogin",
             login[i].empty() ? _renderer.translate("host.members.never", request.locale) : login[i]}});
    }
    mstch::map context{{"people", people},
                       {"total", std::to_string(total)},
                       {"filters", filters},
                       {"target", std::to_string(chosen)}};
    if (page > 0)
        context.emplace("previous", std::to_string(page - 1));
    if (offset + pageSize < total)
        context.emplace("next", std::to_string(page + 1));
    Response response;
    response.title = _renderer.translate("host.members.title", request.locale);
    response.body = _renderer.render("members", context, request.locale);
    return response;
}

Response HostPages::sessions(const Request& request, const Group& group)
{
    Poco::Data::Session session = _host.database().session();
    Poco::Data::Statement select(session);
    Poco::Int64 id = group.id;
    std::string since = Poco::DateTimeFormatter::format(Poco::DateTime() - Poco::Timespan(7, 0, 0, 0, 0),
                                                        "%Y-%m-%d %H:%M:%S");
    std::vector<Poco::Int64> ids, booked, waiting, cancelled;
    std::vector<std::string> titles, coaches, starts;
    select << "SELECT s.id, s.title, s.coach, CAST(s.starts_at AS CHAR), "
              "(SELECT COUNT(*) FROM studio_bookings b WHERE b.session_id = s.id AND b.status = 'booked'), "
              "(SELECT COUNT(*) FROM studio_bookings b WHERE b.session_id = s.id AND b.status = 'waiting'), "
              "(SELECT COUNT(*) FROM studio_bookings b WHERE b.session_id = s.id AND b.status = 'cancelled') "
              "FROM studio_sessions s WHERE s.group_id = ? AND s.starts_at >= ? ORDER BY s.starts_at, s.id "
              "LIMIT 200",
        use(id), use(since), into(ids), into(titles), into(coaches), into(starts), into(booked),
        into(waiting), into(cancelled);
    select.execute();
    mstch::array rows;
    for (std::size_t i = 0; i < ids.size(); ++i)
        rows.push_back(
            mstch::map{{"id", std::to_string(ids[i])},
                       {"href", "/g/" + std::to_string(group.id) + "/sessions/" + std::to_string(ids[i])},
                       {"title", titles[i]},
                       {"coach", coaches[i]},
                       {"startsAt", starts[i].substr(0, 16)},
                       {"booked", std::to_string(booked[i])},
                       {"waiting", std::to_string(waiting[i])},
                       {"cancelled", std::to_string(cancelled[i])}});
    Response response;
    response.title = _renderer.translate("host.sessions.title", request.locale);
    response.body = _renderer.render(
        "sessions", mstch::map{{"sessions", rows}, {"hasSessions", !rows.empty()}}, request.locale);
    return response;
}

Response HostPages::session(const Request& request, const Group& group, long sessionId)
{
    Poco::Data::Session session = _host.database().session();
    Poco::Int64 id = sessionId, groupId = group.id;
    std::vector<std::string> titles, coaches, starts;
    session
        << "SELECT title, coach, CAST(starts_at AS CHAR) FROM studio_sessions WHERE id = ? AND group_id = ?",
        use(id), use(groupId), into(titles), into(coaches), into(starts), now;
    if (titles.empty())
        return error(request, 404, _renderer.translate("host.error.notFound", request.locale),
                     _renderer.translate("host.error.notFound.text", request.locale));
    std::vector<std::string> statuses, first, last, email;
    session
        << "SELECT b.status, p.first_name, p.last_name, COALESCE(p.email, '') FROM studio_bookings b JOIN "
           "people p ON p.id = b.person_id WHERE b.session_id = ? ORDER BY p.last_name, p.first_name, p.id",
        use(id), into(statuses), into(first), into(last), into(email), now;
    mstch::array lists;
    for (const char* status : {"booked", "waiting", "cancelled"})
    {
        mstch::array people;
        for (std::size_t i = 0; i < statuses.size(); ++i)
            if (statuses[i] == status)
                people.push_back(mstch::map{{"name", first[i] + " " + last[i]}, {"email", email[i]}});
        lists.push_back(
            mstch::map{{"status", std::string(status)},
                       {"label", _renderer.translate(std::string("host.sessions.") + status, request.locale)},
                       {"count", std::to_string(people.size())},
                       {"people", people}});
    }
    // The modules' buttons (API 1.8), of the modules enabled in the group, for the rights held there.
    mstch::array links;
    auto rights = _host.accounts().rights(request.userId, group.id);
    for (const auto& [name, owned] : _host.extensions().sessionLinks.all())
        if (_host.groups().isEnabled(owned.owner, group.id) &&
            (owned.entry.requiredRight.empty() || rights.count(owned.entry.requiredRight)))
            links.push_back(mstch::map{{"label", _host.catalogue().text(owned.entry.label, request.locale)},
                                       {"href", "/g/" + std::to_string(group.id) + "/" + owned.owner + "/" +
                                                    Poco::replace(owned.entry.path, std::string("{session}"),
                                                                  std::to_string(sessionId))}});
    Response response;
    response.title = titles[0];
    response.body =
        _renderer.render("session",
                         mstch::map{{"title", titles[0]},
                                    {"coach", coaches[0]},
                                    {"startsAt", starts[0].substr(0, 16)},
                                    {"sessionsHref", "/g/" + std::to_string(group.id) + "/sessions"},
                                    {"lists", lists},
                                    {"links", links}},
                         request.locale);
    return response;
}

Response HostPages::modules(const Request& request)
{
    auto groups = _host.groups().all();
    mstch::array modules;
    for (const auto& loaded : _host.modules().modules())
    {
        mstch::array rows;
        for (const auto& group : groups)
            rows.push_back(mstch::map{{"id", std::to_string(group.id)},
                                      {"groupName", group.name},
                                      {"kindLabel", kindLabel(group.kind, request.locale)},
                                      {"module", loaded->name},
                                      {"csrf", request.csrfToken},
                                      {"enabled", _host.groups().isEnabled(loaded->name, group.id)}});
        modules.push_back(
            mstch::map{{"name", loaded->name.empty() ? loaded->path : loaded->name},
                       {"version", loaded->version},
                       {"api", std::to_string(loaded->apiMajor) + "." + std::to_string(loaded->apiMinor)},
                       {"path", loaded->path},
                       {"error", loaded->error},
                       {"running", loaded->started},
                       {"groups", rows}});
    }
    Response response;
    response.title = _renderer.translate("host.modules.title", request.locale);
    mstch::map context{{"modules", modules}};
    std::string done = request.param("done");
    if (done == "enable" || done == "disable")
    {
        auto group = _host.groups().find(std::atol(request.param("group").c_str()));
        context.emplace("notice",
                        _host.catalogue().text("host.modules.done." + done, request.locale,
                                               {{"module", request.param("module")},
                                                {"group", group ? group->name : request.param("group")}}));
    }
    response.body = _renderer.render("modules", context, request.locale);
    return response;
}

Response HostPages::changeModule(const Request& request)
{
    std::string module = request.param("module");
    if (!_host.modules().find(module))
        throw RequestError(400, "unknown_module", "No running module is named \"" + module + "\".", "module");
    long groupId = 0;
    Poco::NumberParser::tryParse64(request.param("group"), groupId);
    auto group = _host.groups().find(groupId);
    if (!group)
        throw RequestError(400, "unknown_group", "No group has the id \"" + request.param("group") + "\".",
                           "group");
    std::string action = request.param("action");
    if (action == "enable")
        _host.groups().enable(module, groupId);
    else if (action == "disable")
        _host.groups().disable(module, groupId);
    else
        throw RequestError(400, "bad_action", "The action must be enable or disable.", "action");
    _host.extensions().publish(
        {"module." + action + "d", {{"module", module}, {"group", std::to_string(groupId)}}});
    return Response::redirect("/admin/modules?done=" + action + "&module=" + module +
                              "&group=" + std::to_string(groupId));
}

mstch::map HostPages::inboundFields(const StoredMail& mail, const std::string& locale) const
{
    std::string recipients;
    for (const auto& address : mail.recipients)
        recipients += (recipients.empty() ? "" : ", ") + address;
    return mstch::map{
        {"id", std::to_string(mail.id)},
        {"receivedAt", mail.receivedAt},
        {"status", mail.status},
        {"statusLabel", _renderer.translate("host.inbound.status." + mail.status, locale)},
        {"attempts", mail.attempts > 0 ? std::to_string(mail.attempts) : std::string()},
        {"attemptCount", std::to_string(mail.attempts)},
        {"sender", mail.envelopeSender.empty() ? _renderer.translate("host.inbound.nullSender", locale)
                                               : mail.envelopeSender},
        {"recipients",
         recipients.empty() ? _renderer.translate("host.inbound.noRecipient", locale) : recipients},
        {"size", std::to_string(mail.size)},
        {"handler", mail.handler},
        {"detail", mail.detail},
        {"rawKept", mail.rawKept}};
}

Response HostPages::inbound(const Request& request)
{
    mstch::array messages;
    for (const auto& mail : _host.mailbox().unresolved(500))
        messages.push_back(inboundFields(mail, request.locale));
    Response response;
    response.title = _renderer.translate("host.inbound.title", request.locale);
    response.body = _renderer.render(
        "inbound", mstch::map{{"messages", messages}, {"empty", messages.empty()}}, request.locale);
    return response;
}

StoredMail HostPages::inboundOf(const Request& request) const
{
    long id = 0;
    if (!Poco::NumberParser::tryParse64(request.param("id"), id))
        throw RequestError(400, "bad_id", "The id of a received message is a number.", "id");
    auto mail = _host.mailbox().find(id);
    if (!mail)
        throw RequestError(404, "not_found", "No received message has the id " + std::to_string(id) + ".",
                           "id");
    return *mail;
}

Response HostPages::inboundMessage(const Request& request)
{
    // A page shows the first megabyte; the plain-text view has it all.
    const std::size_t shown = 1024 * 1024;
    StoredMail mail = inboundOf(request);
    mstch::map context = inboundFields(mail, request.locale);
    std::string raw = _host.mailbox().raw(mail.id).value_or("");
    context.emplace("truncated", raw.size() > shown);
    if (raw.size() > shown)
        raw.resize(shown);
    context.emplace("raw", raw);
    Response response;
    response.title =
        _renderer.translate("host.inbound.message", request.locale) + " " + std::to_string(mail.id);
    response.body = _renderer.render("inbound_message", context, request.locale);
    return response;
}

Response HostPages::inboundRaw(const Request& request)
{
    StoredMail mail = inboundOf(request);
    auto raw = _host.mailbox().raw(mail.id);
    if (!raw)
        throw RequestError(404, "raw_dropped", _renderer.translate("host.inbound.rawDropped", request.locale),
                           "id");
    Response response;
    response.standalone = true;
    // Plain text, never sniffed (the security headers say nosniff): the message cannot run as a page.
    response.contentType = "text/plain; charset=utf-8";
    response.body = *raw;
    return response;
}

Response HostPages::notifications(const Request& request)
{
    NotificationSettings settings(_host.database());
    long person = settings.personOf(request.userId);
    std::string notice;
    if (request.method == "POST" && person)
    {
        Poco::Int64 group = 0, lead = 24;
        Poco::NumberParser::tryParse64(request.param("group"), group);
        Poco::NumberParser::tryParse64(request.param("lead_hours", "24"), lead);
        try
        {
            settings.choose(person, long(group), request.param("notification"),
                            request.param("enabled") == "1", int(lead),
                            Poco::DateTimeFormatter::format(Poco::DateTime(), "%Y-%m-%d %H:%M:%S"));
        }
        catch (const Poco::InvalidArgumentException& error)
        {
            throw RequestError(400, "bad_choice", error.message(), "notification");
        }
        return Response::redirect("/account/notifications?done=1");
    }
    mstch::array choices;
    for (const auto& choice : settings.of(person))
    {
        std::string id = std::to_string(choice.groupId) + "-" + choice.notification;
        choices.push_back(mstch::map{
            {"id", id},
            {"group", std::to_string(choice.groupId)},
            {"groupName", choice.groupName},
            {"notification", choice.notification},
            {"label", _renderer.translate("host.notifications." + choice.notification, request.locale)},
            {"enabled", choice.enabled},
            {"summary", choice.notification == "order_summary"},
            {"lead4", choice.leadHours == 4},
            {"lead24", choice.leadHours != 4},
            {"changedAt", choice.changedAt},
            {"csrf", request.csrfToken}});
    }
    Response response;
    response.title = _renderer.translate("host.notifications.title", request.locale);
    response.body = _renderer.render(
        "notifications",
        mstch::map{{"choices", choices}, {"none", choices.empty()}, {"done", request.param("done") == "1"}},
        request.locale);
    return response;
}

Response HostPages::error(const Request& request, int status, const std::string& heading,
                          const std::string& message)
{
    Response response;
    response.status = status;
    response.title = heading;
    response.body =
        _renderer.render("error", mstch::map{{"heading", heading}, {"message", message}}, request.locale);
    return response;
}
} // namespace CrmHost
