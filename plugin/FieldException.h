#ifndef MassMailing_FieldException_INCLUDED
#define MassMailing_FieldException_INCLUDED

#include <Poco/Exception.h>
#include <string>

namespace MassMailing
{
/// The one error type for a refused field, shared by every stage (architecture.md).
/// A field of a request or record that is wrong: which field, what is wrong, in words the
/// user can act on ("sender_email: example.com is not a verified domain of this group").
class FieldException : public Poco::InvalidArgumentException
{
public:
    FieldException(const std::string& field, const std::string& code, const std::string& message)
        : Poco::InvalidArgumentException(message), _field(field), _code(code)
    {
    }
    const std::string& field() const { return _field; }
    const std::string& code() const { return _code; }
    Poco::Exception* clone() const override { return new FieldException(*this); }
    void rethrow() const override { throw *this; }

private:
    std::string _field;
    std::string _code;
};
} // namespace MassMailing

#endif
