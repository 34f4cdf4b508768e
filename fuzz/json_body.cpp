// Fuzz target: the JSON bodies of the module's API routes (screens/JsonBody), read with every
// reader over the fields the routes read (AudienceApi, CampaignApi, DeliveryApi), items of
// arrays of objects ("add", "exclude", "versions") included. A body that is not what a field
// needs is refused with CrmHost::RequestError (a 400 naming the field); any other exception
// would be a 500 and fails the target. Also the host's own look at the body (the "group" of
// WebRequestHandler::handleApi), which must throw nothing but Poco::Exception.
#include "CrmHost/Exceptions.h"
#include "FuzzInput.h"
#include "screens/JsonBody.h"
#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>
#include <functional>

namespace
{
const char* const FIELDS[] = {
    "name",      "subject",        "subject_prefix", "html",         "text",        "locale",
    "at",        "deadline",       "timezone",       "channel",      "dedupe",      "forced_locale",
    "reason",    "recipient_type", "reply_to",       "sender_email", "sender_name", "target",
    "group",     "campaign",       "control_group",  "max_per_hour", "reset",       "sample_recipient",
    "addresses", "check",          "remove",         "to",           "params",      "versions",
    "add",       "exclude"};

// Runs one reader; a refusal of the field is the expected answer to a wrong body.
void refusedOrRead(const std::function<void()>& read)
{
    try
    {
        read();
    }
    catch (const CrmHost::RequestError&)
    {
    }
}

void readAll(const MassMailing::JsonBody& body, int depth)
{
    for (const char* field : FIELDS)
    {
        body.has(field);
        body.present(field);
        refusedOrRead([&] { body.text(field, "fallback"); });
        refusedOrRead([&] { body.textOrWholeNumber(field); });
        refusedOrRead([&] { body.wholeNumber(field, 0, 50, 0); });
        refusedOrRead([&] { body.wholeNumber(field, -9000000000000000L, 9000000000000000L, 0); });
        refusedOrRead([&] { body.boolean(field); });
        refusedOrRead([&] { body.texts(field); });
        refusedOrRead([&] { body.textMap(field); });
        refusedOrRead(
            [&]
            {
                if (depth < 3)
                    for (const auto& item : body.objects(field))
                        readAll(item, depth + 1);
            });
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string text = MassMailingFuzz::textOf(data, size);
    try
    {
        MassMailing::JsonBody body(text);
        readAll(body, 0);
    }
    catch (const CrmHost::RequestError&)
    {
        // Not JSON, not an object, or nested too deep: a 400.
    }

    // The host reads "group" from a body that starts with "{" to find the group's module.
    if (!text.empty() && text.front() == '{')
    {
        try
        {
            auto object = Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
            if (object->has("group"))
                object->getValue<Poco::Int64>("group");
            MassMailing::JsonBody::stringify(object);
        }
        catch (const Poco::Exception&)
        {
            // The host ignores it: the module reports the body with the field at fault.
        }
    }
    return 0;
}
