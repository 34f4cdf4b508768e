// Fuzz target: the template variables of a subject or body (content/Personalizer, Variables),
// as Composer prepares them: the campaign's values rendered once by mstch, the recipient's
// filled per recipient, in HTML (escaped) and in plain text.
//
// Input: line 1 a recipient's first name, line 2 the group's name (a campaign value), the
// rest the template. A malformed template throws Poco::SyntaxException, nothing else.
#include "FuzzInput.h"
#include "content/ContentException.h"
#include "content/Personalizer.h"
#include "content/Variables.h"
#include <Poco/Exception.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto fields = MassMailingFuzz::fieldsOf(data, size, 3);
    const std::string& firstName = fields[0];
    const std::string& groupName = fields[1];
    const std::string& source = fields[2];

    MassMailing::Recipient recipient;
    recipient.kind = "person";
    recipient.id = 7;
    recipient.email = "marie.dupont@example.org";
    recipient.firstName = firstName;
    recipient.lastName = "Dupont";
    auto values = MassMailing::Variables::valuesOf(recipient);
    values["unsubscribe_url"] = "https://crm.example.org/p/massmailing/unsubscribe?t=abc";
    values["view_online_url"] = "https://crm.example.org/p/massmailing/view?t=abc";
    mstch::map campaignValues{{"group_name", groupName}, {"sender_name", std::string("Les Restos")}};

    try
    {
        auto used = MassMailing::Personalizer::variablesOf(source);
        MassMailing::Variables::check(used, "members", "food", 100);
        MassMailing::Variables::check(used, "accounts", "", 3);
        using Escaping = MassMailing::Personalizer::Escaping;
        for (auto escaping : {Escaping::Html, Escaping::Text, Escaping::Header})
        {
            MassMailing::Personalizer personalizer(source, MassMailing::Variables::recipientNames(),
                                                   campaignValues, escaping);
            personalizer.render(values);
            personalizer.render({});
        }
    }
    catch (const Poco::SyntaxException&)
    {
        // A malformed template: the composition screen names the tag.
    }
    catch (const MassMailing::FieldException&)
    {
        // Sections nested too deep (finding 3): refused naming the field.
    }
    return 0;
}
