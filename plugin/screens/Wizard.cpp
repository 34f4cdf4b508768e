#include "screens/Wizard.h"
#include "CrmHost/Exceptions.h"
#include "Rights.h"
#include "SqlTime.h"
#include <Poco/DateTimeFormatter.h>
#include <Poco/NumberFormatter.h>
#include <Poco/NumberParser.h>
#include <Poco/String.h>

using CrmHost::Request;
using CrmHost::RequestError;
using CrmHost::Response;

namespace MassMailing
{
Wizard::Wizard(const CrmHost::TemplateRenderer& templates, Campaigns& campaigns)
    : _templates(templates), _door(campaigns)
{
}

Campaign Wizard::campaignOf(const Request& request, const std::string& right)
{
    try
    {
        return _door.open(request, right);
    }
    catch (const RequestError& error)
    {
        if (error.status() != 404)
            throw;
        throw RequestError(404, "not_found",
                           text("massmailing.error.noCampaign", request, {{"id", request.param("id")}}));
    }
}

std::string Wizard::base(const Request& request)
{
    return "/g/" + std::to_string(request.groupId) + "/massmailing/";
}

std::string Wizard::campaignBase(const Request& request, long campaignId)
{
    return base(request) + "campaigns/" + std::to_string(campaignId) + "/";
}

Response Wizard::page(const Request& request, const std::string& name, mstch::map context,
                      const std::string& title, int step, const Campaign* campaign, int status) const
{
    context["csrf"] = request.csrfToken;
    context["base"] = base(request);
    context["title"] = title;
    if (step > 0)
    {
        const char* keys[] = {"massmailing.step.details", "massmailing.step.composition",
                              "massmailing.step.recipients", "massmailing.step.preview",
                              "massmailing.step.send"};
        const char* paths[] = {"details", "composition", "recipients", "preview", "send"};
        mstch::array steps;
        for (int i = 0; i < 5; ++i)
        {
            std::string href = campaign ? campaignBase(request, campaign->id) + paths[i]
                                        : (i == 0 ? base(request) + "campaigns/new" : "");
            steps.push_back(mstch::map{{"number", std::to_string(i + 1)},
                                       {"label", _templates.translate(keys[i], request.locale)},
                                       {"href", href},
                                       {"current", i + 1 == step},
                                       {"disabled", href.empty()}});
        }
        context["steps"] = steps;
        if (campaign)
            context["campaign"] = mstch::map{{"id", std::to_string(campaign->id)},
                                             {"name", campaign->name},
                                             {"status", statusText(campaign->status, request)},
                                             {"isDraft", campaign->status == "draft"}};
    }
    Response response;
    response.status = status;
    response.title = title;
    response.body = _templates.render(name, context, request.locale);
    return response;
}

std::string Wizard::text(const std::string& key, const Request& request,
                         const std::map<std::string, std::string>& values) const
{
    std::string out = _templates.translate(key, request.locale);
    for (const auto& [name, value] : values)
        Poco::replaceInPlace(out, "{" + name + "}", value);
    return out;
}

std::string Wizard::errorText(const FieldException& error, const Request& request) const
{
    // The words for this field's error, else for the error, else the stage's own message.
    for (const std::string& key :
         {"massmailing.error." + error.field() + "." + error.code(), "massmailing.error." + error.code()})
    {
        std::string words = _templates.translate(key, request.locale);
        if (words != key)
            return words;
    }
    return error.message();
}

std::string Wizard::sizeText(const MessageTooLargeException& error, const Request& request) const
{
    std::string size = MessageTooLargeException::megabytes(error.size());
    if (request.locale == "fr")
        Poco::replaceInPlace(size, ".", ",");
    return text("massmailing.size.over", request,
                {{"size", size}, {"limit", MessageTooLargeException::megabytes(error.limit())}});
}

std::string Wizard::statusText(const std::string& status, const Request& request) const
{
    std::string key = "massmailing.status." + status;
    std::string words = _templates.translate(key, request.locale);
    return words == key ? status : words;
}

std::string Wizard::recipientTypeText(const std::string& type, const Request& request) const
{
    std::string key = "massmailing.recipientType." + type;
    std::string words = _templates.translate(key, request.locale);
    return words == key ? type : words;
}

std::string Wizard::dateText(const std::string& stored, const std::string& locale)
{
    Poco::DateTime time;
    if (!readSqlTime(stored, time))
        return stored;
    return Poco::DateTimeFormatter::format(time, locale == "fr" ? "%d/%m/%Y %H:%M" : "%Y-%m-%d %H:%M");
}

std::string Wizard::bytesText(std::size_t bytes, const Request& request) const
{
    bool fr = request.locale == "fr";
    if (bytes < 1024)
        return std::to_string(bytes) + (fr ? " octets" : " bytes");
    std::string number;
    std::string unit;
    if (bytes < 1024 * 1024)
    {
        number = Poco::NumberFormatter::format(double(bytes) / 1024.0, 0);
        unit = fr ? " Ko" : " KB";
    }
    else
    {
        number = MessageTooLargeException::megabytes(bytes);
        unit = fr ? " Mo" : " MB";
    }
    if (fr)
        Poco::replaceInPlace(number, ".", ",");
    return number + unit;
}
} // namespace MassMailing
