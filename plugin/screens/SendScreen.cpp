#include "screens/SendScreen.h"
#include "CrmHost/Exceptions.h"
#include "Rights.h"
#include "content/ContentException.h"
#include "delivery/TimeZones.h"
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Object.h>
#include <Poco/NumberFormatter.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>
#include <algorithm>
#include <cmath>
#include <sstream>

using CrmHost::Request;
using CrmHost::RequestError;
using CrmHost::Response;

namespace MassMailing
{
const char* const SendScreen::DEFAULT_ZONE = "Europe/Paris";

namespace
{
const char* const SEND = Rights::SEND;
const char* const APPROVE = Rights::APPROVE;
const std::size_t PAGE = 50;

// The delivery statuses of a recipient, in the order a send goes through them.
const char* const STATUSES[] = {"queued", "in_flight", "sent", "failed", "skipped", "in_doubt", "bounced"};

// The form's field for a field of the plan that delivery refused.
std::string formField(const std::string& planField)
{
    if (planField == "at" || planField == "timezone")
        return "send_at";
    if (planField == "max_per_hour")
        return "pacing";
    if (planField.compare(0, 9, "calendar.") == 0)
        return "calendar";
    return planField;
}

std::string trimmed(const Request& request, const std::string& name)
{
    return Poco::trim(request.param(name));
}

// A whole number typed in a form, 1 or more; 0 when it is not one.
long positive(const std::string& text)
{
    Poco::Int64 value = 0;
    return Poco::NumberParser::tryParse64(Poco::trim(text), value) && value > 0 ? long(value) : 0;
}
} // namespace

SendScreen::SendScreen(Wizard& wizard, Audience& audience, Deliveries& deliveries, DeliveryProgress& progress,
                       TestSend& testSend, MessageSize& size, std::function<long()> monthlyLimit, Clock clock,
                       GroupSetting groupSetting)
    : _wizard(wizard), _audience(audience), _deliveries(deliveries), _progress(progress), _testSend(testSend),
      _size(size), _monthlyLimit(std::move(monthlyLimit)), _clock(std::move(clock)),
      _groupSetting(std::move(groupSetting))
{
}

std::string SendScreen::localText(const std::string& utc, const std::string& zone,
                                  const Request& request) const
{
    if (utc.empty())
        return "";
    std::string z = TimeZones::known(zone) ? zone : "UTC";
    return _wizard.text("massmailing.send.localTime", request,
                        {{"time", Wizard::dateText(TimeZones::localOf(utc, z), request.locale)},
                         {"zone", z},
                         {"offset", TimeZones::offsetOf(utc, z)}});
}

std::string SendScreen::planText(const DeliveryState& state, const Request& request) const
{
    std::string text = _wizard.text("massmailing.send.plan.at", request,
                                    {{"time", localText(state.scheduledAt, state.timeZone, request)}});
    if (state.maxPerHour > 0)
        text += " " + _wizard.text("massmailing.send.plan.pace", request,
                                   {{"count", std::to_string(state.maxPerHour)}});
    if (!state.deadline.empty())
        text += " " + _wizard.text("massmailing.send.plan.deadline", request,
                                   {{"time", localText(state.deadline, state.timeZone, request)}});
    return text;
}

std::map<std::string, std::string> SendScreen::progressOf(const DeliveryState& state,
                                                          const Request& request) const
{
    long done = state.total - state.remaining;
    long percent = state.total > 0 ? long(std::floor(100.0 * double(done) / double(state.total))) : 0;
    std::string zone = TimeZones::known(state.timeZone) ? state.timeZone : DEFAULT_ZONE;
    auto count = [&](const char* status)
    {
        auto it = state.counts.find(status);
        return std::to_string(it == state.counts.end() ? 0 : it->second);
    };
    std::string end;
    if (!state.expectedEnd.empty())
        end = localText(state.expectedEnd, zone, request);
    else if (Deliveries::finished(state.status) && !state.finishedAt.empty())
        end = localText(state.finishedAt, zone, request);
    else
        end = _wizard.text("massmailing.send.progress.noEnd", request);
    return {{"status", state.status},
            {"statusText", _wizard.statusText(state.status, request)},
            {"sent", count("sent")},
            {"failed", count("failed")},
            {"inDoubt", count("in_doubt")},
            {"skipped", count("skipped")},
            {"remaining", std::to_string(state.remaining)},
            {"total", std::to_string(state.total)},
            {"done", std::to_string(done)},
            {"percent", std::to_string(percent)},
            {"rate", _wizard.text("massmailing.send.progress.rateValue", request,
                                  {{"count", std::to_string(state.perHour)}})},
            {"end", end},
            {"pauseReason", state.pauseReason},
            {"waiting",
             state.waitingForCalendar ? _wizard.text("massmailing.send.progress.waitingForCalendar", request)
             : !state.nextDue.empty() ? _wizard.text("massmailing.send.progress.waitingForLocalTime", request,
                                                     {{"time", localText(state.nextDue, zone, request)}})
                                      : std::string()}};
}

Response SendScreen::show(const Request& request)
{
    Campaign campaign = _wizard.campaignOf(request, Rights::ANY);
    return render(request, campaign, Outcome());
}

Response SendScreen::progress(const Request& request)
{
    Campaign campaign = _wizard.campaignOf(request, Rights::ANY);
    Poco::JSON::Object answer;
    for (const auto& [name, value] : progressOf(_progress.state(campaign.id), request))
        answer.set(name, value);
    std::ostringstream out;
    answer.stringify(out);
    return Response::json(out.str());
}

void SendScreen::schedule(const Request& request, const Campaign& campaign, bool again)
{
    std::string zone = trimmed(request, "time_zone");
    if (zone.empty())
        zone = DEFAULT_ZONE;

    SendPlan plan;
    plan.timeZone = zone;
    if (request.param("when") == "later")
        plan.at = TimeZones::utcOf(request.param("send_date"), request.param("send_time"), zone, "send_at");
    if (!trimmed(request, "deadline_date").empty() || !trimmed(request, "deadline_time").empty())
        plan.deadline = TimeZones::utcOf(
            request.param("deadline_date"),
            trimmed(request, "deadline_time").empty() ? "23:59" : request.param("deadline_time"), zone,
            "deadline");

    // D12: each recipient at a local hour; the days and hours it may send, read in their zones.
    if (request.param("local") == "1")
    {
        plan.localTime = trimmed(request, "local_time");
        plan.optimisedHour = request.param("optimised") == "1";
    }
    for (char day = '1'; day <= '7'; ++day)
        if (request.param(std::string("calendar_") + day) == "1")
            plan.calendar.days += day;
    plan.calendar.from = trimmed(request, "calendar_from");
    plan.calendar.to = trimmed(request, "calendar_to");

    // The pace: at most N an hour, or the number that finishes the planned audience in H hours.
    std::string pacing = request.param("pacing");
    if (pacing == "per_hour")
    {
        plan.maxPerHour = positive(request.param("per_hour"));
        if (plan.maxPerHour == 0)
            throw FieldException("pacing", "bad_per_hour",
                                 "the pace must be a whole number of messages, 1 or more");
    }
    else if (pacing == "within")
    {
        std::string text = trimmed(request, "within_hours");
        Poco::replaceInPlace(text, ",", ".");
        double hours = 0;
        if (!Poco::NumberParser::tryParseFloat(text, hours) || !(hours > 0) || hours > 24 * 31)
            throw FieldException("pacing", "bad_within", "the duration must be a number of hours above 0");
        AudienceOwner owner{campaign.id, campaign.groupId, campaign.recipientType, campaign.dedupe};
        long count = _audience.summary(owner, 0).planned;
        plan.maxPerHour = std::max(1L, long(std::ceil(double(count) / hours)));
    }

    _testSend.check(campaign); // subject and variables, as a test send would
    // Whoever may not approve in this group needs an approver's yes (D2).
    bool needsApproval = !request.hasRight(APPROVE, campaign.groupId);
    if (again)
        _deliveries.reschedule(campaign.id, plan, needsApproval, _monthlyLimit());
    else
        _deliveries.schedule(campaign.id, plan, needsApproval, _monthlyLimit());
}

Response SendScreen::submit(const Request& request)
{
    Campaign campaign = _wizard.campaignOf(request, Rights::ANY);
    std::string action = request.param("action");
    if (!request.param("resend").empty())
        action = "resend";
    const bool approving = action == "approve" || action == "reject";
    Outcome outcome;
    if (!request.hasRight(approving ? APPROVE : SEND, campaign.groupId))
    {
        outcome.status = 403;
        outcome.error = _wizard.text(approving ? "massmailing.send.error.noApproveRight"
                                               : "massmailing.send.error.noSendRight",
                                     request);
        outcome.keepForm = true;
        return render(request, campaign, outcome);
    }
    try
    {
        if (action == "schedule" || action == "reschedule")
            schedule(request, campaign, action == "reschedule");
        else if (action == "approve")
            _deliveries.approve(campaign.id, request.userId);
        else if (action == "reject")
        {
            std::string reason = trimmed(request, "reason");
            if (reason.empty())
                throw FieldException("reason", "required", "say why the campaign is rejected");
            _deliveries.reject(campaign.id, request.userId, reason.substr(0, 500));
        }
        else if (action == "pause")
            _deliveries.pause(campaign.id, _wizard.text("massmailing.send.pausedByUser", request));
        else if (action == "resume")
            _deliveries.resume(campaign.id);
        else if (action == "cancel")
            _deliveries.cancel(campaign.id);
        else if (action == "pacing")
        {
            std::string text = trimmed(request, "max_per_hour");
            Poco::Int64 value = 0;
            if (!text.empty() && (!Poco::NumberParser::tryParse64(text, value) || value < 0))
                throw FieldException("pace", "bad_pace", "the pace is a whole number, 0 for no limit");
            _deliveries.setPacing(campaign.id, long(value));
        }
        else if (action == "resend")
        {
            Poco::Int64 row = 0;
            if (!Poco::NumberParser::tryParse64(request.param("resend"), row))
                throw RequestError(400, "bad_number", "the recipient must be a number", "resend");
            _deliveries.resend(campaign.id, long(row));
        }
        else
            throw RequestError(400, "bad_action", "unknown action \"" + action + "\"");
    }
    catch (const StateException& error)
    {
        outcome.status = 409;
        outcome.error = _wizard.text("massmailing.send.error.state", request,
                                     {{"status", _wizard.statusText(error.status(), request)}});
    }
    catch (const QuotaException& error)
    {
        outcome.status = 422;
        outcome.fieldErrors["audience"] =
            _wizard.text("massmailing.send.error.quota", request,
                         {{"planned", std::to_string(error.planned)},
                          {"sent", std::to_string(error.sentThisMonth)},
                          {"limit", std::to_string(error.limit)},
                          {"remaining", std::to_string(std::max(0L, error.limit - error.sentThisMonth))}});
    }
    catch (const VariablesException&)
    {
        outcome.status = 422;
        outcome.error = _wizard.text("massmailing.send.error.variables", request);
    }
    catch (const FieldException& error)
    {
        outcome.status = 422;
        std::string field = formField(error.field());
        std::string key = "massmailing.send.error." + field + "." + error.code();
        std::string words = _wizard.text(key, request);
        if (words == key)
            words = _wizard.errorText(error, request);
        if (field == "subject")
            outcome.error = words;
        else
            outcome.fieldErrors[field] = words;
    }
    if (outcome.status != 200)
    {
        outcome.keepForm = true;
        return render(request, campaign, outcome);
    }
    if (request.param("from") == "home")
        return Response::redirect(Wizard::base(request) + "?done=" + action);
    return Response::redirect(Wizard::campaignBase(request, campaign.id) + "send?done=" + action);
}

Response SendScreen::render(const Request& request, const Campaign& campaign, const Outcome& outcome)
{
    AudienceOwner owner{campaign.id, campaign.groupId, campaign.recipientType, campaign.dedupe};
    long limit = _monthlyLimit();
    AudienceSummary summary = _audience.summary(owner, limit);
    DeliveryState state = _progress.state(campaign.id);
    const std::string& status = state.status;
    const std::string base = Wizard::campaignBase(request, campaign.id);
    const bool canSend = request.hasRight(SEND, campaign.groupId);
    const bool canApprove = request.hasRight(APPROVE, campaign.groupId);

    mstch::map context{{"action", base + "send"},
                       {"progressHref", base + "progress"},
                       {"recipientsHref", base + "recipients"},
                       {"resultsHref", base + "results"},
                       {"previewHref", base + "preview"},
                       {"compositionHref", base + "composition"},
                       {"homeHref", Wizard::base(request)},
                       {"error", outcome.error},
                       {"canSend", canSend},
                       {"canApprove", canApprove},
                       {"status", status},
                       {"statusText", _wizard.statusText(status, request)},
                       {"isEditable", Deliveries::editable(status)},
                       {"isPlanned", Deliveries::planned(status)},
                       {"isPending", status == "pending_approval"},
                       {"isRejected", status == "rejected"},
                       {"isScheduled", status == "scheduled"},
                       {"isSending", status == "sending"},
                       {"isPaused", status == "paused"},
                       {"isRunning", Deliveries::running(status)},
                       {"isFinished", Deliveries::finished(status)},
                       {"hasDelivery", !Deliveries::editable(status) && status != "pending_approval"},
                       {"cancellable", Deliveries::planned(status) || Deliveries::running(status)},
                       {"reviewNote", state.reviewNote},
                       {"pauseReason", state.pauseReason}};
    for (const auto& [field, words] : outcome.fieldErrors)
        context["error_" + field] = words;
    std::string done = request.param("done");
    if (!done.empty() && outcome.status == 200)
    {
        // Scheduled by someone who may not approve: it waits, and the notice says so.
        if ((done == "schedule" || done == "reschedule") && status == "pending_approval")
            done = "waitsForApproval";
        std::string key = "massmailing.send.done." + done;
        std::string words = _wizard.text(key, request);
        if (words != key)
            context["notice"] =
                done == "schedule" || done == "reschedule" || done == "approve" || done == "waitsForApproval"
                    ? _wizard.text(key, request, {{"plan", planText(state, request)}})
                    : words;
    }
    if (!state.scheduledAt.empty() && !Deliveries::editable(status))
    {
        context["planText"] = planText(state, request);
        context["scheduledAt"] = state.scheduledAt;
        context["timeZone"] = state.timeZone;
    }

    // The summary (A9).
    long remaining = summary.remainingThisMonth();
    std::string noLimit = _wizard.text("massmailing.recipients.noLimit", request);
    context["summary"] = mstch::map{
        {"loaded", std::to_string(summary.loaded)},
        {"invalid", std::to_string(summary.count("invalid") + summary.count("no_address"))},
        {"duplicates", std::to_string(summary.count("duplicate"))},
        {"unsubscribed", std::to_string(summary.count("unsubscribed"))},
        {"planned", std::to_string(summary.planned)},
        {"monthlyLimit", summary.monthlyLimit > 0 ? std::to_string(summary.monthlyLimit) : noLimit},
        {"sentThisMonth", std::to_string(summary.sentThisMonth)},
        {"remaining", remaining < 0 ? noLimit : std::to_string(remaining)}};

    // The approval checklist (D2): each point with whether it is ready.
    mstch::array checklist;
    auto point = [&](const std::string& id, const std::string& label, const std::string& value, bool ok)
    {
        checklist.push_back(mstch::map{{"id", id},
                                       {"label", _wizard.text(label, request)},
                                       {"value", value},
                                       {"ok", ok},
                                       {"mark", std::string(ok ? "✓" : "✗")}});
        return ok;
    };
    bool ready = true;
    ready &= point("sender", "massmailing.send.check.sender",
                   campaign.senderName.empty() ? campaign.senderEmail
                                               : campaign.senderName + " <" + campaign.senderEmail + ">",
                   !campaign.senderEmail.empty());
    std::string subject =
        campaign.subjectPrefix.empty() ? campaign.subject : campaign.subjectPrefix + " " + campaign.subject;
    ready &=
        point("subject", "massmailing.send.check.subject",
              campaign.subject.empty() ? _wizard.text("massmailing.send.check.noSubject", request) : subject,
              !campaign.subject.empty());
    bool overQuota = remaining >= 0 && summary.planned > remaining && Deliveries::editable(status);
    ready &= point("recipients", "massmailing.send.check.recipients",
                   overQuota ? _wizard.text("massmailing.recipients.overQuota", request,
                                            {{"planned", std::to_string(summary.planned)},
                                             {"remaining", std::to_string(remaining)}})
                             : _wizard.text(summary.planned == 1 ? "massmailing.send.check.recipientOne"
                                                                 : "massmailing.send.check.recipientCount",
                                            request, {{"count", std::to_string(summary.planned)}}),
                   summary.planned > 0 && !overQuota);
    std::string variables = _wizard.text("massmailing.send.check.variablesOk", request);
    bool variablesOk = true;
    try
    {
        _testSend.check(campaign);
    }
    catch (const VariablesException& error)
    {
        variablesOk = false;
        variables.clear();
        for (const auto& problem : error.problems())
            variables += (variables.empty() ? "" : " ") +
                         _wizard.text("massmailing.preview.problem." + problem.reason, request,
                                      {{"variable", "{{" + problem.variable + "}}"},
                                       {"count", std::to_string(problem.affected)}});
    }
    catch (const FieldException&)
    {
        // No subject: said on its own line above; the variables are checked once it is written.
    }
    catch (const Poco::SyntaxException& error)
    {
        variablesOk = false;
        variables = _wizard.text("massmailing.error.template_syntax", request, {{"detail", error.message()}});
    }
    ready &= point("variables", "massmailing.send.check.variables", variables, variablesOk);
    std::string sizeValue;
    bool sizeOk = true;
    try
    {
        std::size_t bytes = _size.of(campaign);
        sizeOk = bytes <= MessageSize::limit();
        sizeValue = sizeOk
                        ? _wizard.text("massmailing.size.ok", request,
                                       {{"size", _wizard.bytesText(bytes, request)},
                                        {"limit", MessageTooLargeException::megabytes(MessageSize::limit())}})
                        : _wizard.sizeText(MessageTooLargeException(bytes, MessageSize::limit()), request);
    }
    catch (const Poco::Exception&)
    {
        sizeOk = false;
        sizeValue = _wizard.text("massmailing.send.check.sizeUnknown", request);
    }
    ready &= point("size", "massmailing.send.check.size", sizeValue, sizeOk);
    context["checklist"] = checklist;
    context["ready"] = ready;

    // The form: what the user typed when it was refused, else the stored plan, else defaults.
    std::string zone = DEFAULT_ZONE;
    std::map<std::string, std::string> form{{"when", "now"}, {"pacing", "none"}};
    Poco::DateTime tomorrow = _clock() + Poco::Timespan(1, 0, 0, 0, 0);
    form["send_date"] = Poco::DateTimeFormatter::format(tomorrow, "%Y-%m-%d");
    form["send_time"] = "09:00";
    if (outcome.keepForm)
    {
        for (const char* field :
             {"when",          "send_date",     "send_time",   "pacing",       "per_hour",   "within_hours",
              "deadline_date", "deadline_time", "reason",      "max_per_hour", "local",      "local_time",
              "optimised",     "calendar_from", "calendar_to", "calendar_1",   "calendar_2", "calendar_3",
              "calendar_4",    "calendar_5",    "calendar_6",  "calendar_7"})
            form[field] = request.param(field);
        if (!trimmed(request, "time_zone").empty())
            zone = trimmed(request, "time_zone");
    }
    else if (!state.scheduledAt.empty() && Deliveries::planned(status))
    {
        if (TimeZones::known(state.timeZone))
            zone = state.timeZone;
        std::string local = TimeZones::localOf(state.scheduledAt, zone);
        form["when"] = "later";
        form["send_date"] = local.substr(0, 10);
        form["send_time"] = local.substr(11, 5);
        if (state.maxPerHour > 0)
        {
            form["pacing"] = "per_hour";
            form["per_hour"] = std::to_string(state.maxPerHour);
        }
        if (!state.deadline.empty())
        {
            std::string deadline = TimeZones::localOf(state.deadline, zone);
            form["deadline_date"] = deadline.substr(0, 10);
            form["deadline_time"] = deadline.substr(11, 5);
        }
        form["local"] = state.localTime.empty() ? "" : "1";
        form["local_time"] = state.localTime;
        form["optimised"] = state.optimisedHour ? "1" : "";
        form["calendar_from"] = state.calendar.from;
        form["calendar_to"] = state.calendar.to;
        for (char day : state.calendar.days)
            form[std::string("calendar_") + day] = "1";
    }
    else if (TimeZones::known(state.timeZone))
        zone = state.timeZone;
    else if (_groupSetting)
    {
        // A new send: the group's settings (the settings screen).
        const std::string groupZone = _groupSetting(campaign.groupId, "time_zone");
        if (TimeZones::known(groupZone))
            zone = groupZone;
        const std::string pace = _groupSetting(campaign.groupId, "pacing.max_per_hour");
        if (!pace.empty() && pace != "0")
        {
            form["pacing"] = "per_hour";
            form["per_hour"] = pace;
        }
    }
    if (form["max_per_hour"].empty())
        form["max_per_hour"] = std::to_string(state.maxPerHour);
    mstch::map values;
    for (const auto& [field, value] : form)
        values[field] = value;
    values["later"] = form["when"] == "later";
    values["now"] = form["when"] != "later";
    values["pacingNone"] = form["pacing"] != "per_hour" && form["pacing"] != "within";
    values["pacingPerHour"] = form["pacing"] == "per_hour";
    values["pacingWithin"] = form["pacing"] == "within";
    values["local"] = form["local"] == "1";
    values["optimised"] = form["optimised"] == "1";
    if (form["local_time"].empty())
        values["local_time"] = std::string("09:00");
    mstch::array days;
    for (char day = '1'; day <= '7'; ++day)
        days.push_back(
            mstch::map{{"day", std::string(1, day)},
                       {"on", form[std::string("calendar_") + day] == "1"},
                       {"name", _wizard.text(std::string("massmailing.send.day.") + day, request)}});
    values["calendarDays"] = days;
    context["form"] = values;
    context["typedReason"] = form["reason"];
    context["paceValue"] = form["max_per_hour"];
    mstch::array zones;
    bool listed = false;
    for (const auto& name : TimeZones::names())
    {
        listed = listed || name == zone;
        zones.push_back(mstch::map{{"name", name}, {"selected", name == zone}});
    }
    if (!listed)
        zones.insert(zones.begin(), mstch::map{{"name", zone}, {"selected", true}});
    context["zones"] = zones;

    // While sending and after: the numbers, each status with its rows.
    mstch::map numbers;
    for (const auto& [name, value] : progressOf(state, request))
        numbers[name] = value;
    context["progress"] = numbers;
    std::string shown = request.param("status");
    if (std::find(std::begin(STATUSES), std::end(STATUSES), shown) == std::end(STATUSES))
        shown.clear();
    mstch::array statuses;
    for (const char* s : STATUSES)
    {
        long count = state.counts.count(s) ? state.counts.at(s) : 0;
        statuses.push_back(
            mstch::map{{"status", std::string(s)},
                       {"label", _wizard.text(std::string("massmailing.send.recipientStatus.") + s, request)},
                       {"count", std::to_string(count)},
                       {"href", base + "send?status=" + s + "#results"},
                       {"current", shown == s}});
    }
    context["statuses"] = statuses;
    // The rows of the status asked for; else those that need the user: in doubt, then failed.
    std::vector<DeliveryRow> rows;
    Poco::Int64 page = 0;
    if (!Poco::NumberParser::tryParse64(request.param("page"), page) || page < 0)
        page = 0;
    if (!shown.empty())
    {
        // One more than a page: whether there is a next one.
        rows = _progress.rows(campaign.id, shown, PAGE + 1, std::size_t(page) * PAGE);
        std::string href = base + "send?status=" + shown + "&page=";
        if (rows.size() > PAGE)
        {
            rows.pop_back();
            context["nextPage"] = href + std::to_string(page + 1) + "#results";
        }
        if (page > 0)
            context["previousPage"] = href + std::to_string(page - 1) + "#results";
        if (!rows.empty())
            context["pageText"] = _wizard.text(
                "massmailing.recipients.pageText", request,
                {{"first", std::to_string(page * Poco::Int64(PAGE) + 1)},
                 {"last", std::to_string(page * Poco::Int64(PAGE) + Poco::Int64(rows.size()))},
                 {"total", std::to_string(state.counts.count(shown) ? state.counts.at(shown) : 0)}});
    }
    else if (!Deliveries::editable(status) && status != "pending_approval")
    {
        rows = _progress.rows(campaign.id, "in_doubt", PAGE, 0);
        for (auto& row : _progress.rows(campaign.id, "failed", PAGE, 0))
            rows.push_back(std::move(row));
    }
    mstch::array rowItems;
    for (const auto& row : rows)
    {
        std::string name =
            row.firstName + (row.firstName.empty() || row.lastName.empty() ? "" : " ") + row.lastName;
        std::string why = row.status == "skipped" ? row.reason : row.detail;
        if (row.status == "skipped")
        {
            std::string key = "massmailing.reason." + row.reason;
            std::string words = _wizard.text(key, request);
            why = words == key ? row.reason : words;
        }
        rowItems.push_back(mstch::map{
            {"id", std::to_string(row.id)},
            {"email", row.email},
            {"name", name},
            {"status", row.status},
            {"statusText", _wizard.text("massmailing.send.recipientStatus." + row.status, request)},
            {"why", why},
            {"sentAt", row.sentAt.empty() ? std::string() : localText(row.sentAt, zone, request)},
            {"resendable", canSend && (row.status == "failed" || row.status == "in_doubt")}});
    }
    context["rows"] = rowItems;
    context["hasRows"] = !rowItems.empty();
    context["rowsTitle"] =
        shown.empty()
            ? _wizard.text("massmailing.send.rows.attention", request)
            : _wizard.text("massmailing.send.rows.of", request,
                           {{"status", _wizard.text("massmailing.send.recipientStatus." + shown, request)}});

    Response response = _wizard.page(
        request, "send", context, _wizard.text("massmailing.send.title", request, {{"name", campaign.name}}),
        5, &campaign);
    response.status = outcome.status;
    return response;
}

Routes SendScreen::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Page, "GET", "campaigns/{id}/send", "", Rights::ANY, on(this, &SendScreen::show)},
        {ScreenKind::Page, "POST", "campaigns/{id}/send", "", Rights::ANY, on(this, &SendScreen::submit)},
        {ScreenKind::Page, "GET", "campaigns/{id}/progress", "", Rights::ANY,
         on(this, &SendScreen::progress)},
    };
}
} // namespace MassMailing
