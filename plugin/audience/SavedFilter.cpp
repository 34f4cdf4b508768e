#include "audience/SavedFilter.h"
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>
#include <map>

namespace MassMailing
{
namespace
{
// The columns a filter may name, per recipient type (docs/data-model.md). The SQL is made
// from these literals only: a field of a definition is looked up here, never copied.
const std::map<std::string, std::vector<const char*>>& allowedFields()
{
    static const std::map<std::string, std::vector<const char*>> fields{
        {"contacts", {"city", "job_title"}},
        {"accounts", {"city", "segment"}},
        {"leads", {"status", "source", "city"}},
        {"members", {"locale", "time_zone"}},
    };
    return fields;
}

bool isObject(const Poco::Dynamic::Var& value)
{
    return value.type() == typeid(Poco::JSON::Object::Ptr);
}

bool isArray(const Poco::Dynamic::Var& value)
{
    return value.type() == typeid(Poco::JSON::Array::Ptr);
}
} // namespace

SavedFilter::SavedFilter(long id, const std::string& name, const std::string& recipientType,
                         const std::string& definition)
    : _id(id), _name(name), _recipientType(recipientType)
{
    if (allowedFields().count(recipientType) == 0)
        refuse("recipient type \"" + recipientType + "\" has no filters");
    Poco::Dynamic::Var root;
    try
    {
        root = Poco::JSON::Parser().parse(definition);
    }
    catch (const Poco::Exception& error)
    {
        refuse("the definition is not JSON (" + error.displayText() + ")");
    }
    if (!isObject(root))
        refuse("the definition is not a JSON object");
    auto object = root.extract<Poco::JSON::Object::Ptr>();
    if (!object->has("all"))
    {
        addCondition(root);
        return;
    }
    if (object->size() != 1)
        refuse("\"all\" comes alone, without other keys");
    Poco::Dynamic::Var all = object->get("all");
    if (!isArray(all))
        refuse("\"all\" is not an array of conditions");
    auto conditions = all.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < conditions->size(); ++i)
        addCondition(conditions->get(static_cast<unsigned>(i)));
}

std::vector<std::string> SavedFilter::fields(const std::string& recipientType)
{
    auto it = allowedFields().find(recipientType);
    if (it == allowedFields().end())
        return {};
    return std::vector<std::string>(it->second.begin(), it->second.end());
}

void SavedFilter::addCondition(const Poco::Dynamic::Var& condition)
{
    if (!isObject(condition))
        refuse("a condition is not a JSON object");
    auto object = condition.extract<Poco::JSON::Object::Ptr>();
    if (object->size() != 3 || !object->has("field") || !object->has("op") || !object->has("value"))
        refuse("a condition has exactly the keys field, op and value");
    Poco::Dynamic::Var field = object->get("field"), op = object->get("op"), value = object->get("value");
    if (!field.isString() || !op.isString())
        refuse("field and op are strings");

    Condition parsed{nullptr, op.toString(), {}};
    const std::string name = field.toString();
    for (const char* allowed : allowedFields().at(_recipientType))
    {
        if (name == allowed)
            parsed.column = allowed;
    }
    if (parsed.column == nullptr)
    {
        std::vector<std::string> allowed = fields(_recipientType);
        refuse("unknown field \"" + name + "\" for " + _recipientType +
               " (allowed: " + Poco::cat(std::string(", "), allowed.begin(), allowed.end()) + ")");
    }

    if (parsed.op == "=" || parsed.op == "!=")
    {
        if (!value.isString())
            refuse("the value of " + name + " " + parsed.op + " is not a string");
        parsed.values.push_back(value.toString());
    }
    else if (parsed.op == "in")
    {
        if (!isArray(value))
            refuse("the value of " + name + " in is not an array of strings");
        auto values = value.extract<Poco::JSON::Array::Ptr>();
        for (std::size_t i = 0; i < values->size(); ++i)
        {
            Poco::Dynamic::Var item = values->get(static_cast<unsigned>(i));
            if (!item.isString())
                refuse("the value of " + name + " in is not an array of strings");
            parsed.values.push_back(item.toString());
        }
    }
    else
        refuse("unknown operator \"" + parsed.op + "\" (allowed: =, !=, in)");
    _conditions.push_back(std::move(parsed));
}

std::string SavedFilter::condition(const std::string& alias, std::vector<std::string>& bindings) const
{
    std::string sql;
    for (const auto& condition : _conditions)
    {
        std::string column = alias + "." + condition.column;
        std::string part;
        if (condition.op == "in")
        {
            if (condition.values.empty())
                part = "1 = 0";
            else
            {
                std::string marks;
                for (std::size_t i = 0; i < condition.values.size(); ++i)
                    marks += i == 0 ? "?" : ", ?";
                part = column + " IN (" + marks + ")";
            }
        }
        else
            part = column + (condition.op == "=" ? " = ?" : " <> ?");
        bindings.insert(bindings.end(), condition.values.begin(), condition.values.end());
        sql += (sql.empty() ? "" : " AND ") + part;
    }
    return sql.empty() ? "1 = 1" : "(" + sql + ")";
}

void SavedFilter::refuse(const std::string& why) const
{
    throw Poco::InvalidArgumentException("saved filter " + std::to_string(_id) + " \"" + _name + "\"", why);
}
} // namespace MassMailing
