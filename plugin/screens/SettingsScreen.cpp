#include "screens/SettingsScreen.h"
#include "CrmHost/Exceptions.h"
#include "FieldException.h"
#include "Rights.h"
#include "SqlTime.h"
#include <Poco/String.h>

using CrmHost::Request;
using CrmHost::Response;

namespace MassMailing
{
namespace
{
const std::string prefix = "massmailing.";

std::string nameOf(const CrmHost::Setting& setting)
{
    return setting.key.substr(prefix.size());
}
} // namespace

SettingsScreen::SettingsScreen(Wizard& wizard, const GroupSettings& settings, ConnectionTest test,
                               std::function<std::string()> webhookUrl)
    : _wizard(wizard), _settings(settings), _test(std::move(test)), _webhookUrl(std::move(webhookUrl))
{
}

long SettingsScreen::scopeOf(const Request& request) const
{
    if (request.param("scope") != "host")
        return request.groupId;
    if (!request.hasRight("host.admin", request.groupId))
        throw CrmHost::RequestError(403, "forbidden", _wizard.text("massmailing.settings.hostOnly", request));
    return GroupSettings::HOST;
}

Response SettingsScreen::render(const Request& request, long scope,
                                const std::map<std::string, std::string>& errors, mstch::map extra,
                                int status)
{
    mstch::array fields;
    for (const CrmHost::Setting& setting : _settings.settable(scope))
    {
        const std::string name = nameOf(setting);
        const bool secret = GroupSettings::isSecret(name);
        std::string value = _settings.value(scope, name);
        // What the user typed, when the form was refused; a secret never comes back.
        auto typed = request.params.find(name);
        if (!errors.empty() && typed != request.params.end())
            value = typed->second;
        mstch::array options;
        for (const std::string& option : setting.allowed)
            options.push_back(mstch::map{{"value", option}, {"selected", option == value}});
        mstch::map field{{"name", name},
                         {"id", "setting-" + Poco::replace(name, ".", "-")},
                         {"label", _wizard.text(setting.label, request)},
                         {"value", secret ? std::string() : value},
                         {"secret", secret},
                         {"secretState", _wizard.text(_settings.value(scope, name).empty()
                                                          ? "massmailing.settings.secretEmpty"
                                                          : "massmailing.settings.secretSet",
                                                      request)},
                         {"hasOptions", !options.empty()},
                         {"options", options}};
        auto error = errors.find(name);
        if (error != errors.end())
            field.emplace("error", error->second);
        fields.push_back(field);
    }
    mstch::array changes;
    for (const GroupSettings::Change& change : _settings.changes(scope))
        changes.push_back(
            mstch::map{{"at", Wizard::dateText(change.at, request.locale)},
                       {"user", change.login.empty() ? "#" + std::to_string(change.userId) : change.login},
                       {"name", change.name},
                       {"old", change.oldValue},
                       {"new", change.newValue}});
    const bool host = scope == GroupSettings::HOST;
    mstch::map context{{"fields", fields},
                       {"changes", changes},
                       {"hasChanges", !changes.empty()},
                       {"host", host},
                       {"hostAdmin", request.hasRight("host.admin", request.groupId)},
                       {"scopeQuery", std::string(host ? "?scope=host" : "")},
                       {"hasErrors", !errors.empty()},
                       {"webhookUrl", host && _webhookUrl ? _webhookUrl() : std::string()}};
    for (auto& [key, value] : extra)
        context[key] = value;
    return _wizard.page(
        request, "settings", context,
        _wizard.text(host ? "massmailing.settings.hostTitle" : "massmailing.settings.title", request), 0,
        nullptr, status);
}

Response SettingsScreen::show(const Request& request)
{
    mstch::map extra;
    if (request.param("saved") == "1")
        extra.emplace("saved", true);
    return render(request, scopeOf(request), {}, extra, 200);
}

Response SettingsScreen::save(const Request& request)
{
    const long scope = scopeOf(request);
    // Every field is checked before any is stored: a refused form changes nothing.
    std::map<std::string, std::string> errors, changed;
    for (const CrmHost::Setting& setting : _settings.settable(scope))
    {
        const std::string name = nameOf(setting);
        auto typed = request.params.find(name);
        if (typed == request.params.end())
            continue;
        std::string value = Poco::trim(typed->second);
        if (GroupSettings::isSecret(name) ? value.empty() && request.param(name + ".clear") != "1"
                                          : value == _settings.value(scope, name))
            continue; // unchanged (an empty secret field keeps the secret)
        if (GroupSettings::isHostSwitch(name) && !request.hasRight("host.admin", request.groupId))
        {
            errors[name] = _wizard.text("massmailing.settings.hostSwitch", request);
            continue;
        }
        changed[name] = value;
    }
    if (!errors.empty())
        return render(request, scope, errors, {}, 403);
    errors = _settings.setAll(scope, changed, request.userId);
    if (!errors.empty())
        return render(request, scope, errors, {}, 422);
    return Response::redirect(Wizard::base(request) + "settings?" +
                              std::string(scope == GroupSettings::HOST ? "scope=host&" : "") + "saved=1");
}

Response SettingsScreen::test(const Request& request)
{
    const long scope = scopeOf(request);
    if (scope != GroupSettings::HOST)
        throw CrmHost::RequestError(403, "forbidden", _wizard.text("massmailing.settings.hostOnly", request));
    std::string sender = Poco::trim(request.param("sender"));
    if (sender.empty())
        sender = "postmaster@localhost";
    const SmtpTransport::CheckResult result = _test(sender);
    mstch::map extra{
        {"tested", true},
        {"testOk", result.ok},
        {"testStep", result.step},
        {"testStepText",
         result.ok ? std::string() : _wizard.text("massmailing.settings.step." + result.step, request)},
        {"testMessage", result.message},
        {"sender", sender}};
    return render(request, scope, {}, extra, 200);
}

Routes SettingsScreen::routes()
{
    using CrmHost::ScreenKind;
    return {
        {ScreenKind::Page, "GET", "settings", "massmailing.settings.menu", Rights::ADMIN,
         on(this, &SettingsScreen::show)},
        {ScreenKind::Page, "POST", "settings", "", Rights::ADMIN, on(this, &SettingsScreen::save)},
        {ScreenKind::Page, "POST", "settings/test", "", Rights::ADMIN, on(this, &SettingsScreen::test)},
    };
}
} // namespace MassMailing
