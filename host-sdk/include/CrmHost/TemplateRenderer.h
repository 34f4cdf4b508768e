#ifndef CrmHost_TemplateRenderer_INCLUDED
#define CrmHost_TemplateRenderer_INCLUDED

#include <mstch/mstch.hpp>
#include <string>

namespace CrmHost
{
/// Mustache rendering provided by the host. Debian's mstch is a static library built
/// without -fPIC, so modules cannot link it: the host links it whole and exports it, and a
/// module may also call mstch::render itself, resolved against the host when loaded.
class TemplateRenderer
{
public:
    virtual ~TemplateRenderer() = default;

    virtual std::string render(const std::string& name, mstch::map context,
                               const std::string& locale) const = 0;
    /// Renders templates/<module>/<name>.mustache. The context gets "t", a lambda that
    /// translates catalogue keys ({{#t}}massmailing.menu{{/t}}), and "locale".
    /// Partials are the other templates of the same folder. Throws Poco::FileNotFoundException.

    virtual std::string translate(const std::string& key, const std::string& locale) const = 0;
    /// The catalogue's text for this key, or the key itself when it has none.
};
} // namespace CrmHost

#endif
