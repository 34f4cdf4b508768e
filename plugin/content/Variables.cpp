#include "content/Variables.h"
#include <algorithm>

namespace MassMailing
{
namespace
{
struct Entry
{
    Variable variable;
    std::vector<std::string> types; /// Recipient types it exists for; empty: all.
    std::string groupKind;          /// Only in groups of this kind; empty: all.
};

const std::vector<Entry>& catalogue()
{
    static const std::vector<Entry> entries{
        {{"first_name", "massmailing.var.first_name", true, "first_name"},
         {"members", "contacts", "leads", "targets"},
         ""},
        {{"last_name", "massmailing.var.last_name", true, "last_name"},
         {"members", "contacts", "leads", "targets"},
         ""},
        {{"email", "massmailing.var.email", true, "email"}, {}, ""},
        {{"company", "massmailing.var.company", true, "company"},
         {"contacts", "accounts", "leads", "targets"},
         ""},
        {{"group_name", "massmailing.var.group_name", false, ""}, {}, ""},
        {{"sender_name", "massmailing.var.sender_name", false, ""}, {}, ""},
        {{"next_distribution_date", "massmailing.var.next_distribution_date", false, ""},
         {"members"},
         "food"},
        {{"next_distribution_place", "massmailing.var.next_distribution_place", false, ""},
         {"members"},
         "food"},
        // A member's order lines for the campaign's distribution (Campaigns::orderLines), a list
        // read by a section: {{#order.lines}}{{quantity}} × {{product}}{{/order.lines}}.
        {{"order.lines", "massmailing.var.order_lines", true, ""}, {"members"}, "food"},
        {{"product", "massmailing.var.order_product", true, ""}, {"members"}, "food"},
        {{"quantity", "massmailing.var.order_quantity", true, ""}, {"members"}, "food"},
        {{"price", "massmailing.var.order_price", true, ""}, {"members"}, "food"},
        {{"total", "massmailing.var.order_line_total", true, ""}, {"members"}, "food"},
        {{"unsubscribe_url", "massmailing.var.unsubscribe_url", true, ""}, {}, ""},
        {{"view_online_url", "massmailing.var.view_online_url", true, ""}, {}, ""},
    };
    return entries;
}

bool applies(const Entry& entry, const std::string& recipientType, const std::string& groupKind)
{
    bool typeOk = entry.types.empty() ||
                  std::find(entry.types.begin(), entry.types.end(), recipientType) != entry.types.end();
    return typeOk && (entry.groupKind.empty() || entry.groupKind == groupKind);
}
} // namespace

std::vector<Variable> Variables::available(const std::string& recipientType, const std::string& groupKind)
{
    std::vector<Variable> result;
    for (const auto& entry : catalogue())
        if (applies(entry, recipientType, groupKind))
            result.push_back(entry.variable);
    return result;
}

std::vector<VariableProblem> Variables::check(const std::vector<std::string>& used,
                                              const std::string& recipientType, const std::string& groupKind,
                                              long audienceSize)
{
    std::vector<VariableProblem> problems;
    for (const auto& name : used)
    {
        auto entry = std::find_if(catalogue().begin(), catalogue().end(),
                                  [&](const Entry& e) { return e.variable.name == name; });
        if (entry == catalogue().end())
            problems.push_back({name, "unknown", audienceSize});
        else if (!applies(*entry, recipientType, groupKind))
            problems.push_back({name, "unavailable", audienceSize});
    }
    return problems;
}

std::set<std::string> Variables::recipientNames()
{
    std::set<std::string> names;
    for (const auto& entry : catalogue())
        if (entry.variable.perRecipient)
            names.insert(entry.variable.name);
    return names;
}

std::map<std::string, std::string> Variables::valuesOf(const Recipient& recipient)
{
    return {{"first_name", recipient.firstName},
            {"last_name", recipient.lastName},
            {"email", recipient.email},
            {"company", recipient.company}};
}
} // namespace MassMailing
