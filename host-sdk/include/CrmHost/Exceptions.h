#ifndef CrmHost_Exceptions_INCLUDED
#define CrmHost_Exceptions_INCLUDED

#include <Poco/Exception.h>

namespace CrmHost
{
/// A registry already holds an extension with this id.
POCO_DECLARE_EXCEPTION(, DuplicateRegistrationException, Poco::ExistsException)
/// A module's shared object cannot be loaded, or its entry point is missing or incompatible.
POCO_DECLARE_EXCEPTION(, ModuleLoadException, Poco::RuntimeException)
/// A setting's value that its declaration refuses; the message names the key, the value and
/// what is allowed.
POCO_DECLARE_EXCEPTION(, SettingException, Poco::InvalidArgumentException)

/// An error a screen answers to the client: HTTP status, a stable code, a message for the
/// user, and the field of the request it is about (may be empty). Rendered as
/// {"error": {"code", "message", "field"}} on JSON routes and as a message on pages.
class RequestError : public Poco::Exception
{
public:
    RequestError(int status, const std::string& code, const std::string& message,
                 const std::string& field = "")
        : Poco::Exception(message), _status(status), _code(code), _field(field)
    {
    }
    int status() const { return _status; }
    const std::string& code() const { return _code; }
    const std::string& field() const { return _field; }
    const char* name() const noexcept override { return "Request error"; }
    const char* className() const noexcept override { return typeid(*this).name(); }
    Poco::Exception* clone() const override { return new RequestError(*this); }
    void rethrow() const override { throw *this; }

private:
    int _status;
    std::string _code;
    std::string _field;
};
} // namespace CrmHost

#endif
