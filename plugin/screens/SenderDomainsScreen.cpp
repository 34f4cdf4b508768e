#include "screens/SenderDomainsScreen.h"
#include "CrmHost/Exceptions.h"
#include "FieldException.h"
#include "Rights.h"
#include <Poco/NumberParser.h>

using CrmHost::Request;
using CrmHost::Response;

namespace MassMailing
{
SenderDomainsScreen::SenderDomainsScreen(Wizard& wizard, SenderDomains& domains)
    : _wizard(wizard), _domains(domains)
{
}

Response SenderDomainsScreen::renderList(const Request& request, const std::string& error, int status)
{
    mstch::array domains;
    for (const SenderDomain& d : _domains.list(request.groupId))
        domains.push_back(
            mstch::map{{"id", std::to_string(d.id)},
                       {"domain", d.domain},
                       {"status", d.status},
                       {"statusText", _wizard.text("massmailing.domains.status." + d.status, request)},
                       {"href", Wizard::base(request) + "settings/domains/" + std::to_string(d.id)}});
    mstch::map context{{"domains", domains}, {"empty", domains.empty()}, {"typed", request.param("domain")}};
    if (!error.empty())
        context.emplace("error", error);
    return _wizard.page(request, "sender_domains", context,
                        _wizard.text("massmailing.domains.title", request), 0, nullptr, status);
}

Response SenderDomainsScreen::list(const Request& request)
{
    return renderList(request, "", 200);
}

Response SenderDomainsScreen::add(const Request& request)
{
    try
    {
        const long id = _domains.add(request.groupId, request.param("domain"), request.userId);
        return Response::redirect(Wizard::base(request) + "settings/domains/" + std::to_string(id));
    }
    catch (const FieldException& error)
    {
        return renderList(request, error.message(), 422);
    }
}

SenderDomain SenderDomainsScreen::domainOf(const Request& request) const
{
    long id = 0;
    Poco::Int64 parsed = 0;
    if (Poco::NumberParser::tryParse64(request.param("id"), parsed))
        id = long(parsed);
    auto found = _domains.find(request.groupId, id);
    if (!found)
        throw CrmHost::RequestError(404, "not_found", _wizard.text("massmailing.domains.notFound", request));
    return *found;
}

Response SenderDomainsScreen::domain(const Request& request)
{
    const SenderDomain d = domainOf(request);
    mstch::array records;
    for (const DnsRecord& r : _domains.records(d))
        records.push_back(
            mstch::map{{"kind", r.kind},
                       {"kindText", _wizard.text("massmailing.domains.kind." + r.kind, request)},
                       {"name", r.name},
                       {"type", r.type},
                       {"value", r.value}});
    mstch::array checks;
    for (const RecordCheck& c : d.lastCheck)
        checks.push_back(mstch::map{{"kind", c.kind},
                                    {"kindText", _wizard.text("massmailing.domains.kind." + c.kind, request)},
                                    {"name", c.name},
                                    {"ok", c.ok},
                                    {"problem", c.problem}});
    mstch::map context{{"id", std::to_string(d.id)},
                       {"domain", d.domain},
                       {"status", d.status},
                       {"statusText", _wizard.text("massmailing.domains.status." + d.status, request)},
                       {"verified", d.status == "verified"},
                       {"rotating", !d.nextSelector.empty()},
                       {"records", records},
                       {"checks", checks},
                       {"checked", !d.checkedAt.empty()},
                       {"checkedAt", Wizard::dateText(d.checkedAt, request.locale)}};
    return _wizard.page(request, "sender_domain", context, d.domain);
}

Response SenderDomainsScreen::check(const Request& request)
{
    const SenderDomain d = domainOf(request);
    _domains.check(request.groupId, d.id);
    return Response::redirect(Wizard::base(request) + "settings/domains/" + std::to_string(d.id));
}

Response SenderDomainsScreen::rotate(const Request& request)
{
    const SenderDomain d = domainOf(request);
    _domains.rotate(request.groupId, d.id);
    return Response::redirect(Wizard::base(request) + "settings/domains/" + std::to_string(d.id));
}

Routes SenderDomainsScreen::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Page, "GET", "settings/domains", "", Rights::ADMIN,
         on(this, &SenderDomainsScreen::list)},
        {ScreenKind::Page, "POST", "settings/domains", "", Rights::ADMIN,
         on(this, &SenderDomainsScreen::add)},
        {ScreenKind::Page, "GET", "settings/domains/{id}", "", Rights::ADMIN,
         on(this, &SenderDomainsScreen::domain)},
        {ScreenKind::Page, "POST", "settings/domains/{id}/check", "", Rights::ADMIN,
         on(this, &SenderDomainsScreen::check)},
        {ScreenKind::Page, "POST", "settings/domains/{id}/rotate", "", Rights::ADMIN,
         on(this, &SenderDomainsScreen::rotate)},
    };
}
} // namespace MassMailing
