#include "screens/JsonBody.h"
#include "CrmHost/Exceptions.h"
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <cmath>
#include <sstream>

using CrmHost::RequestError;

namespace MassMailing
{
namespace
{
RequestError badType(const std::string& name, const std::string& expected)
{
    return RequestError(400, "bad_type", name + " must be " + expected, name);
}

// A whole number as an integer; false for a fraction, a string, a boolean or an object.
bool wholeValue(const Poco::Dynamic::Var& value, double& number)
{
    if (value.isBoolean() || value.isString() || !value.isNumeric())
        return false;
    number = value.convert<double>();
    return std::isfinite(number) && std::floor(number) == number;
}
} // namespace

JsonBody::JsonBody(const std::string& text)
{
    Poco::Dynamic::Var parsed;
    try
    {
        // Poco's parser refuses deeper nesting itself, before it recurses further.
        Poco::JSON::Parser parser;
        parser.setDepth(MAX_DEPTH);
        parsed = parser.parse(text.empty() ? "{}" : text);
    }
    catch (const Poco::Exception& error)
    {
        throw RequestError(400, "bad_json", "the body is not valid JSON: " + error.message());
    }
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr))
        throw RequestError(400, "bad_json", "the body must be a JSON object");
    _object = parsed.extract<Poco::JSON::Object::Ptr>();
}

JsonBody::JsonBody(Poco::JSON::Object::Ptr object, std::string path)
    : _object(std::move(object)), _path(std::move(path))
{
}

std::string JsonBody::nameOf(const std::string& field) const
{
    return _path + field;
}

Poco::Dynamic::Var JsonBody::value(const std::string& field) const
{
    return _object->has(field) ? _object->get(field) : Poco::Dynamic::Var();
}

bool JsonBody::has(const std::string& field) const
{
    return !value(field).isEmpty();
}

bool JsonBody::present(const std::string& field) const
{
    return _object->has(field);
}

std::string JsonBody::text(const std::string& field, const std::string& fallback) const
{
    Poco::Dynamic::Var v = value(field);
    if (v.isEmpty())
        return fallback;
    if (!v.isString())
        throw badType(nameOf(field), "a string");
    return v.extract<std::string>();
}

std::string JsonBody::textOrWholeNumber(const std::string& field) const
{
    Poco::Dynamic::Var v = value(field);
    double number = 0;
    if (v.isEmpty())
        return "";
    if (v.isString())
        return v.extract<std::string>();
    if (!wholeValue(v, number) || std::fabs(number) > 9.0e15)
        throw badType(nameOf(field), "a string or a whole number");
    return std::to_string(static_cast<long long>(number));
}

long JsonBody::wholeNumber(const std::string& field, long min, long max, long fallback) const
{
    Poco::Dynamic::Var v = value(field);
    if (v.isEmpty())
        return fallback;
    std::string name = nameOf(field);
    double number = 0;
    if (!wholeValue(v, number))
        throw RequestError(400, "bad_number", name + " must be a whole number", name);
    if (number < double(min) || number > double(max))
        throw RequestError(400, "out_of_range",
                           name + " must be from " + std::to_string(min) + " to " + std::to_string(max),
                           name);
    return static_cast<long>(number);
}

bool JsonBody::boolean(const std::string& field, bool fallback) const
{
    if (!_object->has(field))
        return fallback;
    Poco::Dynamic::Var v = _object->get(field);
    if (!v.isBoolean())
        throw badType(nameOf(field), "true or false");
    return v.extract<bool>();
}

std::vector<std::string> JsonBody::texts(const std::string& field) const
{
    std::vector<std::string> values;
    Poco::Dynamic::Var v = value(field);
    if (v.isEmpty())
        return values;
    if (v.type() != typeid(Poco::JSON::Array::Ptr))
        throw badType(nameOf(field), "an array of strings");
    auto array = v.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i)
    {
        Poco::Dynamic::Var item = array->get(static_cast<unsigned>(i));
        if (!item.isString())
            throw badType(nameOf(field) + "[" + std::to_string(i) + "]", "a string");
        values.push_back(item.extract<std::string>());
    }
    return values;
}

std::vector<JsonBody> JsonBody::objects(const std::string& field) const
{
    std::vector<JsonBody> items;
    Poco::Dynamic::Var v = value(field);
    if (v.isEmpty())
        return items;
    if (v.type() != typeid(Poco::JSON::Array::Ptr))
        throw badType(nameOf(field), "an array of objects");
    auto array = v.extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < array->size(); ++i)
    {
        std::string name = nameOf(field) + "[" + std::to_string(i) + "]";
        auto item = array->getObject(static_cast<unsigned>(i));
        if (!item)
            throw badType(name, "an object");
        items.push_back(JsonBody(item, name + "."));
    }
    return items;
}

JsonBody JsonBody::object(const std::string& field) const
{
    Poco::Dynamic::Var v = value(field);
    if (v.isEmpty())
        return JsonBody(new Poco::JSON::Object, nameOf(field) + ".");
    if (v.type() != typeid(Poco::JSON::Object::Ptr))
        throw badType(nameOf(field), "an object");
    return JsonBody(v.extract<Poco::JSON::Object::Ptr>(), nameOf(field) + ".");
}

std::map<std::string, std::string> JsonBody::textMap(const std::string& field) const
{
    std::map<std::string, std::string> values;
    Poco::Dynamic::Var v = value(field);
    if (v.isEmpty())
        return values;
    if (v.type() != typeid(Poco::JSON::Object::Ptr))
        throw badType(nameOf(field), "an object");
    JsonBody inner(v.extract<Poco::JSON::Object::Ptr>(), nameOf(field) + ".");
    for (const auto& [name, member] : *inner._object)
        values[name] = inner.textOrWholeNumber(name);
    return values;
}

std::string JsonBody::stringify(const Poco::Dynamic::Var& value)
{
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(value, out);
    return out.str();
}
} // namespace MassMailing
