#ifndef MassMailing_JsonBody_INCLUDED
#define MassMailing_JsonBody_INCLUDED

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>
#include <map>
#include <string>
#include <vector>

namespace MassMailing
{
/// The JSON body of a request to one of the module's API routes: an object, read through
/// typed readers. Every reader throws CrmHost::RequestError (400) naming the field, as the
/// client wrote it ("exclude[0].campaign"), when the value has another type or is out of
/// range; a field that is absent, or null, gives the reader's fallback (as "at": null asks
/// for now), except for a boolean, which is true or false and nothing else. Read the whole
/// body before changing anything, so that nothing is written before a refusal.
class JsonBody
{
public:
    static constexpr std::size_t MAX_DEPTH = 64;
    /// The deepest nesting of arrays and objects a body may have.

    explicit JsonBody(const std::string& text);
    /// Parses text ("" counts as {}). Throws RequestError 400 bad_json when it is not JSON,
    /// not an object, or nested deeper than MAX_DEPTH.

    bool has(const std::string& field) const;
    /// True when the field is present and not null.

    bool present(const std::string& field) const;
    /// True when the field is in the body, null included ("versions": null clears them).

    std::string text(const std::string& field, const std::string& fallback = "") const;
    /// A string. Throws RequestError bad_type for any other value.

    std::string textOrWholeNumber(const std::string& field) const;
    /// A string, or a whole number as its digits (an id may be written either way).
    /// Throws RequestError bad_type for any other value.

    long wholeNumber(const std::string& field, long min, long max, long fallback) const;
    /// An integer from min to max (2.0 counts as 2). Throws RequestError bad_number for a
    /// value that is not a whole number ("5", 2.5, true), out_of_range outside [min, max].

    bool boolean(const std::string& field, bool fallback = false) const;
    /// true or false. Throws RequestError bad_type for anything else, null and "no" included.

    std::vector<std::string> texts(const std::string& field) const;
    /// An array of strings; none when absent. Throws RequestError bad_type naming the field,
    /// or the item ("addresses[3]").

    std::vector<JsonBody> objects(const std::string& field) const;
    /// An array of objects, each read with the same readers, its fields named
    /// "field[i].name"; none when absent. Throws RequestError bad_type.

    JsonBody object(const std::string& field) const;
    /// A nested object, read with the same readers, its fields named "field.name"; an empty one
    /// when absent. Throws RequestError bad_type.

    std::map<std::string, std::string> textMap(const std::string& field) const;
    /// An object whose values are strings or whole numbers ({"group": "12"}); empty when
    /// absent. Throws RequestError bad_type.

    static std::string stringify(const Poco::Dynamic::Var& value);
    /// The value written as condensed JSON, for an answer.

private:
    JsonBody(Poco::JSON::Object::Ptr object, std::string path);

    std::string nameOf(const std::string& field) const;
    Poco::Dynamic::Var value(const std::string& field) const;

    Poco::JSON::Object::Ptr _object;
    std::string _path; /// "" for the body itself, "add[0]." for an item.
};
} // namespace MassMailing

#endif
