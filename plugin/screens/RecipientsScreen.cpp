#include "screens/RecipientsScreen.h"
#include "CrmHost/Exceptions.h"
#include "Rights.h"
#include "delivery/Deliveries.h"
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/URI.h>
#include <algorithm>
#include <set>
#include <sstream>

using CrmHost::Request;
using CrmHost::RequestError;
using CrmHost::Response;

namespace MassMailing
{
namespace
{
const long PAGE = 50;

// The reasons a row is left out, in the order the audience stage applies them.
const char* const REASONS[] = {"unchecked",  "invalid",  "no_address", "unsubscribed",  "bounced",
                               "complained", "excluded", "duplicate",  "control_group", "erased"};

// A row left out for these cannot be sent whatever its checkbox says (A6, A8): not selectable.
bool selectable(const std::string& reason)
{
    return reason != "invalid" && reason != "no_address" && reason != "unsubscribed" && reason != "bounced" &&
           reason != "complained" && reason != "erased";
}

// "members.catalogue_buyers?catalogue=3&catalogue_name=Pain" back into the target's id and params.
std::pair<std::string, std::map<std::string, std::string>> parseTarget(const std::string& value)
{
    std::map<std::string, std::string> params;
    auto question = value.find('?');
    if (question != std::string::npos)
    {
        Poco::StringTokenizer pairs(value.substr(question + 1), "&", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
        for (const auto& pair : pairs)
        {
            auto equals = pair.find('=');
            std::string name, text;
            Poco::URI::decode(pair.substr(0, equals), name);
            if (equals != std::string::npos)
                Poco::URI::decode(pair.substr(equals + 1), text);
            params[name] = text;
        }
    }
    return {value.substr(0, question), params};
}

long numberParam(const Request& request, const std::string& name, long fallback)
{
    Poco::Int64 value = 0;
    return Poco::NumberParser::tryParse64(Poco::trim(request.param(name)), value) ? long(value) : fallback;
}

std::string nameOf(const AudienceRow& row)
{
    return row.firstName + (row.firstName.empty() || row.lastName.empty() ? "" : " ") + row.lastName;
}

std::vector<std::string> linesOf(const std::string& text)
{
    std::vector<std::string> lines;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
    {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        lines.push_back(line);
    }
    return lines;
}
} // namespace

RecipientsScreen::RecipientsScreen(Wizard& wizard, Campaigns& campaigns, Audience& audience,
                                   std::function<long()> monthlyLimit)
    : _wizard(wizard), _campaigns(campaigns), _audience(audience), _monthlyLimit(std::move(monthlyLimit))
{
}

std::string RecipientsScreen::targetValue(const CrmHost::Target& target)
{
    std::string value = target.id;
    char separator = '?';
    for (const auto& [name, text] : target.params)
    {
        std::string encodedName, encodedText;
        Poco::URI::encode(name, "?&=+#%", encodedName);
        Poco::URI::encode(text, "?&=+#%", encodedText);
        value += separator + encodedName + "=" + encodedText;
        separator = '&';
    }
    return value;
}

std::string RecipientsScreen::listHref(const Request& request, long campaignId, const std::string& list,
                                       long page)
{
    std::string href = Wizard::campaignBase(request, campaignId) + "recipients";
    std::string query;
    if (!list.empty())
        query += "&list=" + list;
    if (page > 0)
        query += "&page=" + std::to_string(page);
    return query.empty() ? href : href + "?" + query.substr(1);
}

std::string RecipientsScreen::profileHref(const Request& request, const AudienceRow&)
{
    // The host has no profile page yet: its members list, where the person can be found.
    return "/g/" + std::to_string(request.groupId) + "/members";
}

std::string RecipientsScreen::targetLabel(const std::string& key,
                                          const std::map<std::string, std::string>& params,
                                          const Request& request) const
{
    return _wizard.text(key, request, params);
}

std::string RecipientsScreen::reasonText(const std::string& reason, const Request& request) const
{
    std::string key = "massmailing.reason." + reason;
    std::string words = _wizard.text(key, request);
    return words == key ? reason : words;
}

std::string RecipientsScreen::reportLine(const CsvRefusal& refusal, const Request& request) const
{
    std::string key = "massmailing.recipients.refused." + refusal.code;
    std::string why = _wizard.text(key, request, {{"value", refusal.value}});
    if (why == key)
        why = refusal.message;
    return _wizard.text("massmailing.recipients.refusedLine", request,
                        {{"line", std::to_string(refusal.line)}, {"reason", why}});
}

Response RecipientsScreen::show(const Request& request)
{
    Campaign campaign = _wizard.campaignOf(request);
    Outcome outcome;
    std::string done = request.param("done");
    if (!done.empty())
    {
        std::string key = "massmailing.recipients.done." + done;
        outcome.notice = _wizard.text(key, request);
        if (outcome.notice == key)
            outcome.notice.clear();
    }
    return render(request, campaign, outcome);
}

void RecipientsScreen::applyChecks(const Request& request, const AudienceOwner& owner)
{
    // The rows of the page as they were shown, in one field ("shown": "1KEY 0KEY ...", 1 when
    // the box was ticked; keys hold no space), and the boxes ticked now (check_N): only the
    // rows whose box changed go to the stage. One field, because a form may carry 100 at most.
    Poco::StringTokenizer shown(request.param("shown"), " ", Poco::StringTokenizer::TOK_IGNORE_EMPTY);
    for (std::size_t n = 0; n < shown.count() && n < std::size_t(PAGE); ++n)
    {
        const std::string& token = shown[n];
        if (token.size() < 2)
            continue;
        bool was = token[0] == '1';
        bool checked = !request.param("check_" + std::to_string(n)).empty();
        if (was != checked)
            _audience.setChecked(owner, token.substr(1), checked);
    }
}

Response RecipientsScreen::submit(const Request& request)
{
    Campaign campaign = _wizard.campaignOf(request);
    AudienceOwner owner{campaign.id, campaign.groupId, campaign.recipientType, campaign.dedupe};
    Outcome outcome;
    if (!Deliveries::editable(campaign.status))
    {
        outcome.status = 409;
        outcome.error = _wizard.text("massmailing.error.not_draft", request);
        return render(request, campaign, outcome);
    }

    std::string action = request.param("action");
    if (!request.param("remove_source").empty())
        action = "remove_source";
    else if (!request.param("remove").empty())
        action = "remove";
    try
    {
        if (action == "load" || action == "exclude")
        {
            auto [id, params] = parseTarget(request.param("target"));
            if (id.empty())
                throw Poco::InvalidArgumentException(
                    _wizard.text("massmailing.recipients.error.chooseTarget", request));
            _audience.addTarget(owner, id, params, action == "exclude");
        }
        else if (action == "exclude_campaign")
        {
            long id = numberParam(request, "campaign", 0);
            if (id <= 0)
                throw Poco::InvalidArgumentException(
                    _wizard.text("massmailing.recipients.error.chooseCampaign", request));
            _audience.excludeCampaign(owner, id);
        }
        else if (action == "campaign_rows_load" || action == "campaign_rows_exclude")
        {
            // Those of an earlier campaign who did not open it, or whose delivery failed (A11).
            long id = numberParam(request, "rows_campaign", 0);
            if (id <= 0)
                throw Poco::InvalidArgumentException(
                    _wizard.text("massmailing.recipients.error.chooseCampaign", request));
            _audience.addCampaignRows(owner, request.param("rows_kind"), id,
                                      action == "campaign_rows_exclude");
        }
        else if (action == "control_group")
        {
            long percent = numberParam(request, "control_group", -1);
            if (Poco::trim(request.param("control_group")).empty())
                percent = 0;
            if (percent < 0 || percent > 50)
                throw Poco::InvalidArgumentException(
                    _wizard.text("massmailing.recipients.error.controlGroup", request));
            _audience.setControlGroup(owner, int(percent));
        }
        else if (action == "remove_source")
            _audience.removeSource(owner, numberParam(request, "remove_source", 0));
        else if (action == "remove")
        {
            applyChecks(request, owner);
            _audience.setChecked(owner, request.param("remove"), false);
        }
        else if (action == "checks")
            applyChecks(request, owner);
        else if (action == "add")
        {
            std::string typed = request.param("addresses");
            if (Poco::trim(typed).empty())
                outcome.addressesError = _wizard.text("massmailing.recipients.error.noAddresses", request);
            else
            {
                outcome.report = _audience.addAddressLines(owner, typed);
                outcome.hasReport = true;
                outcome.reportTitle = "massmailing.recipients.report.typed";
                // The refused lines stay in the box, to be corrected.
                auto lines = linesOf(typed);
                for (const auto& refusal : outcome.report.refused)
                    if (refusal.line >= 1 && std::size_t(refusal.line) <= lines.size())
                        outcome.typed += lines[std::size_t(refusal.line - 1)] + "\n";
            }
        }
        else if (action == "import")
        {
            const CrmHost::UploadedFile* file = nullptr;
            for (const auto& upload : request.files)
                if (upload.field == "csv")
                    file = &upload;
            if (!file || file->bytes.empty())
                outcome.importError = _wizard.text("massmailing.recipients.error.noFile", request);
            else
            {
                std::string name = file->filename.substr(file->filename.find_last_of("/\\") + 1);
                outcome.report = _audience.importCsv(owner, file->bytes, name.empty() ? "import.csv" : name);
                outcome.hasReport = true;
                outcome.reportTitle = "massmailing.recipients.report.csv";
            }
        }
        else if (action == "clear")
            _audience.clear(owner);
        else if (action != "calculate")
            throw RequestError(400, "bad_action", "unknown action \"" + action + "\"");
        _audience.resolve(owner, _monthlyLimit());
    }
    catch (const FieldException& error)
    {
        std::string key = "massmailing.recipients.error." + error.field() + "." + error.code();
        outcome.error = _wizard.text(key, request);
        if (outcome.error == key)
            outcome.error = _wizard.errorText(error, request);
        outcome.status = 422;
    }
    catch (const Poco::NotFoundException&)
    {
        outcome.error =
            _wizard.text(action == "exclude_campaign" || action == "campaign_rows_load" ||
                                 action == "campaign_rows_exclude"
                             ? "massmailing.recipients.error.unknownCampaign"
                         : action == "remove_source" ? "massmailing.recipients.error.unknownSource"
                                                     : "massmailing.recipients.error.unknownTarget",
                         request);
        outcome.status = 422;
    }
    catch (const Poco::InvalidArgumentException& error)
    {
        outcome.error = error.message();
        outcome.status = 422;
    }

    if (!outcome.addressesError.empty() || !outcome.importError.empty())
        outcome.status = 422;
    else if (outcome.hasReport && outcome.report.taken == 0 && !outcome.report.refused.empty())
        outcome.status = 422;
    if (outcome.status != 200 || outcome.hasReport)
        return render(request, campaign, outcome);
    std::string list = request.param("list");
    std::string href = listHref(request, campaign.id, list, numberParam(request, "page", 0));
    return Response::redirect(href + (href.find('?') == std::string::npos ? "?" : "&") + "done=" + action);
}

Response RecipientsScreen::render(const Request& request, const Campaign& campaign, const Outcome& outcome)
{
    AudienceOwner owner{campaign.id, campaign.groupId, campaign.recipientType, campaign.dedupe};
    AudienceSummary summary = _audience.summary(owner, _monthlyLimit());
    const bool draft = Deliveries::editable(campaign.status);
    const std::string action = Wizard::campaignBase(request, campaign.id) + "recipients";

    // Which rows the list shows: all, the planned ones, or those left out for one reason.
    std::string list = request.param("list");
    std::set<std::string> reasons(std::begin(REASONS), std::end(REASONS));
    for (const auto& [reason, count] : summary.leftOut)
        reasons.insert(reason);
    if (list != "planned" && !reasons.count(list))
        list.clear();
    long total = list.empty() ? summary.loaded : list == "planned" ? summary.planned : summary.count(list);
    long lastPage = total > 0 ? (total - 1) / PAGE : 0;
    long page = std::clamp(numberParam(request, "page", 0), 0L, lastPage);

    mstch::map context{{"action", action},
                       {"isDraft", draft},
                       {"notice", outcome.notice},
                       {"error", outcome.error},
                       {"error_addresses", outcome.addressesError},
                       {"error_import", outcome.importError},
                       {"typed", outcome.typed},
                       {"list", list},
                       {"page", std::to_string(page)},
                       {"compositionHref", Wizard::campaignBase(request, campaign.id) + "composition"},
                       {"previewHref", Wizard::campaignBase(request, campaign.id) + "preview"},
                       {"recipientType", _wizard.recipientTypeText(campaign.recipientType, request)}};

    // 1. The targets this group offers for the campaign's recipient type, and what was loaded.
    mstch::array targets;
    for (const auto& target : _audience.targets(campaign.groupId, campaign.recipientType))
        targets.push_back(mstch::map{{"value", targetValue(target)},
                                     {"label", targetLabel(target.label, target.params, request)}});
    context["hasTargets"] = !targets.empty();
    context["targets"] = targets;

    mstch::array sources;
    for (const auto& source : _audience.sources(campaign.id))
    {
        std::string label;
        if (source.kind == "target")
            label = targetLabel(source.label, source.params, request);
        else if (source.kind == "campaign" || Audience::isCampaignRows(source.kind))
            label = _wizard.text("massmailing.recipients.source." + source.kind, request,
                                 {{"name", source.label}});
        else if (source.kind == "csv")
            label = _wizard.text("massmailing.recipients.source.csv", request, {{"file", source.label}});
        else
            label = _wizard.text("massmailing.recipients.source.addresses", request);
        bool add = source.action == "add";
        sources.push_back(
            mstch::map{{"id", std::to_string(source.id)},
                       {"add", add},
                       {"label", label},
                       {"rows", add ? _wizard.text(source.rows == 1 ? "massmailing.recipients.sourceRowsOne"
                                                                    : "massmailing.recipients.sourceRows",
                                                   request, {{"count", std::to_string(source.rows)}})
                                    : std::string()}});
    }
    context["hasSources"] = !sources.empty();
    context["sources"] = sources;

    mstch::array campaigns;
    for (const auto& other : _campaigns.ofGroup(campaign.groupId))
        // Campaigns that may have sent something: their recipients can be excluded (A11).
        if (other.id != campaign.id && Deliveries::hasSent(other.status))
            campaigns.push_back(
                mstch::map{{"id", std::to_string(other.id)},
                           {"label", other.name + " · " + _wizard.statusText(other.status, request)}});
    context["hasCampaigns"] = !campaigns.empty();
    context["campaigns"] = campaigns;
    context["controlGroup"] = std::to_string(_audience.controlGroup(owner));

    // 2. The summary (A9) and the rows left out, by reason.
    long remaining = summary.remainingThisMonth();
    std::vector<std::pair<std::string, long>> counts;
    for (const auto& reason : REASONS)
        counts.emplace_back(reason, summary.count(reason));
    for (const auto& [reason, count] : summary.leftOut)
        if (std::find(std::begin(REASONS), std::end(REASONS), reason) == std::end(REASONS))
            counts.emplace_back(reason, count);
    auto entry = [&](const std::string& value, const std::string& label, long count)
    {
        return mstch::map{{"list", value.empty() ? std::string("all") : value},
                          {"label", label},
                          {"count", std::to_string(count)},
                          {"href", listHref(request, campaign.id, value, 0)},
                          {"current", list == value}};
    };
    mstch::array leftOut;
    mstch::array tabs{
        entry("", _wizard.text("massmailing.recipients.list.all", request), summary.loaded),
        entry("planned", _wizard.text("massmailing.recipients.list.planned", request), summary.planned)};
    for (const auto& [reason, count] : counts)
        if (count > 0)
        {
            leftOut.push_back(entry(reason, reasonText(reason, request), count));
            tabs.push_back(entry(reason, reasonText(reason, request), count));
        }
    context["summary"] = mstch::map{
        {"loaded", std::to_string(summary.loaded)},
        {"invalid", std::to_string(summary.count("invalid") + summary.count("no_address"))},
        {"duplicates", std::to_string(summary.count("duplicate"))},
        {"unsubscribed", std::to_string(summary.count("unsubscribed"))},
        {"planned", std::to_string(summary.planned)},
        {"monthlyLimit", summary.monthlyLimit > 0 ? std::to_string(summary.monthlyLimit)
                                                  : _wizard.text("massmailing.recipients.noLimit", request)},
        {"sentThisMonth", std::to_string(summary.sentThisMonth)},
        {"remaining",
         remaining < 0 ? _wizard.text("massmailing.recipients.noLimit", request) : std::to_string(remaining)},
        {"allHref", listHref(request, campaign.id, "", 0)},
        {"plannedHref", listHref(request, campaign.id, "planned", 0)},
        {"leftOut", leftOut},
        {"hasLeftOut", !leftOut.empty()}};
    if (summary.withoutConsent > 0)
        context["consentWarning"] = _wizard.text("massmailing.recipients.consent", request,
                                                 {{"count", std::to_string(summary.withoutConsent)},
                                                  {"planned", std::to_string(summary.planned)}});
    if (remaining >= 0 && summary.planned > remaining)
        context["quotaWarning"] = _wizard.text(
            "massmailing.recipients.overQuota", request,
            {{"planned", std::to_string(summary.planned)}, {"remaining", std::to_string(remaining)}});

    // 3. The rows, a page at a time.
    context["tabs"] = tabs;

    std::string status = list.empty() ? "" : list == "planned" ? "planned" : "left_out";
    std::string reason = list.empty() || list == "planned" ? "" : list;
    mstch::array rows;
    std::string shown;
    long n = 0;
    for (const auto& row :
         _audience.rows(campaign.id, status, reason, std::size_t(PAGE), std::size_t(page * PAGE)))
    {
        bool canSelect = selectable(row.reason);
        bool checked = row.reason != "unchecked";
        std::string source;
        if (row.sourceKind == "target")
            source = targetLabel(row.sourceLabel, row.sourceParams, request);
        else if (row.sourceKind == "csv")
            source = _wizard.text("massmailing.recipients.source.csv", request, {{"file", row.sourceLabel}});
        else if (Audience::isCampaignRows(row.sourceKind))
            source = _wizard.text("massmailing.recipients.source." + row.sourceKind, request,
                                  {{"name", row.sourceLabel}});
        else
            source = _wizard.text("massmailing.recipients.source.addresses", request);
        std::string name = nameOf(row);
        mstch::map item{{"n", std::to_string(n)},
                        {"id", std::to_string(row.id)},
                        {"key", row.key()},
                        {"email", row.email},
                        {"hasEmail", !row.email.empty()},
                        {"name", name},
                        {"source", source},
                        {"reason", row.reason},
                        {"planned", row.status == "planned"},
                        {"statusText", row.status == "planned"
                                           ? _wizard.text("massmailing.recipients.planned", request)
                                       : row.status == "left_out" ? reasonText(row.reason, request)
                                                                  : _wizard.statusText(row.status, request)},
                        {"checked", checked},
                        {"selectable", canSelect && draft},
                        {"removable", draft && row.status == "planned" && !row.email.empty()}};
        if ((row.reason == "invalid" || row.reason == "no_address") && row.recipientId > 0)
            item["profile"] =
                mstch::map{{"href", profileHref(request, row)},
                           {"text", _wizard.text("massmailing.recipients.profile." + row.kind, request,
                                                 {{"id", std::to_string(row.recipientId)}})}};
        rows.push_back(item);
        shown +=
            std::string(n == 0 ? "" : " ") + (canSelect && draft ? (checked ? "1" : "0") + row.key() : "-");
        ++n;
    }
    context["rows"] = rows;
    context["shown"] = shown;
    context["hasRows"] = !rows.empty();
    if (total > 0)
        context["pageText"] = _wizard.text("massmailing.recipients.pageText", request,
                                           {{"first", std::to_string(page * PAGE + 1)},
                                            {"last", std::to_string(page * PAGE + long(rows.size()))},
                                            {"total", std::to_string(total)}});
    if (page > 0)
        context["previousPage"] = listHref(request, campaign.id, list, page - 1);
    if (page < lastPage)
        context["nextPage"] = listHref(request, campaign.id, list, page + 1);

    // The report of the addresses just typed or imported: taken, and each refused line.
    if (outcome.hasReport)
    {
        mstch::array refused;
        for (const auto& refusal : outcome.report.refused)
            refused.push_back(mstch::map{{"line", std::to_string(refusal.line)},
                                         {"code", refusal.code},
                                         {"text", reportLine(refusal, request)}});
        context["report"] = mstch::map{
            {"title", _wizard.text(outcome.reportTitle, request)},
            {"taken", _wizard.text(outcome.report.taken == 1 ? "massmailing.recipients.report.takenOne"
                                                             : "massmailing.recipients.report.taken",
                                   request, {{"count", std::to_string(outcome.report.taken)}})},
            {"refusedText",
             _wizard.text(outcome.report.refused.size() == 1 ? "massmailing.recipients.report.refusedOne"
                                                             : "massmailing.recipients.report.refused",
                          request, {{"count", std::to_string(outcome.report.refused.size())}})},
            {"hasRefused", !refused.empty()},
            {"refused", refused}};
    }

    Response response = _wizard.page(
        request, "recipients", context,
        _wizard.text("massmailing.recipients.title", request, {{"name", campaign.name}}), 3, &campaign);
    response.status = outcome.status;
    return response;
}

Routes RecipientsScreen::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Page, "GET", "campaigns/{id}/recipients", "", Rights::ANY,
         on(this, &RecipientsScreen::show)},
        {ScreenKind::Page, "POST", "campaigns/{id}/recipients", "", Rights::ANY,
         on(this, &RecipientsScreen::submit)},
    };
}
} // namespace MassMailing
