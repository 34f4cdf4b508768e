#ifndef MassMailing_SavedFilter_INCLUDED
#define MassMailing_SavedFilter_INCLUDED

#include <Poco/Dynamic/Var.h>
#include <string>
#include <vector>

namespace MassMailing
{
/// A CRM saved filter or a studio smartlist (table saved_filters of docs/data-model.md): one
/// condition {"field": F, "op": "=" | "!=" | "in", "value": V}, or {"all": [condition, ...]}
/// when every condition must hold. A field is a column of the recipient type's table, taken
/// from a fixed list; values only ever reach SQL as bound parameters.
class SavedFilter
{
public:
    SavedFilter(long id, const std::string& name, const std::string& recipientType,
                const std::string& definition);
    /// Parses and checks the definition. Throws Poco::InvalidArgumentException, naming the
    /// filter, for a recipient type without filters, malformed JSON, a field outside the
    /// type's list, an unknown operator or a value of the wrong shape (a string for = and !=,
    /// an array of strings for in).

    static std::vector<std::string> fields(const std::string& recipientType);
    /// The fields a filter of this recipient type may name: contacts (city, job_title),
    /// accounts (city, segment), leads (status, source, city), members (locale, time_zone);
    /// none for any other type.

    const std::string& recipientType() const { return _recipientType; }

    std::string condition(const std::string& alias, std::vector<std::string>& bindings) const;
    /// The SQL condition over the table aliased alias (the recipient type's table), with one
    /// "?" per value; appends the values to bindings in the order of the "?".
    /// Values compare exactly; "in" with an empty list holds for nobody.

private:
    struct Condition
    {
        const char* column; /// From the fixed list, never from the definition.
        std::string op;
        std::vector<std::string> values;
    };

    void addCondition(const Poco::Dynamic::Var& condition);
    [[noreturn]] void refuse(const std::string& why) const;

    long _id;
    std::string _name;
    std::string _recipientType;
    std::vector<Condition> _conditions;
};
} // namespace MassMailing

#endif
