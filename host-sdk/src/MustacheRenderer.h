#ifndef CrmHost_MustacheRenderer_INCLUDED
#define CrmHost_MustacheRenderer_INCLUDED

#include "Catalogue.h"
#include "CrmHost/TemplateRenderer.h"
#include <map>
#include <mutex>

namespace CrmHost
{
/// Renders the templates of one component (templates/<component>/) with mstch; template
/// files are read once and kept.
class MustacheRenderer : public TemplateRenderer
{
public:
    MustacheRenderer(const std::string& templatesDir, const std::string& component,
                     const Catalogue& catalogue);

    std::string render(const std::string& name, mstch::map context, const std::string& locale) const override;
    std::string translate(const std::string& key, const std::string& locale) const override;

private:
    const std::string& source(const std::string& name) const;

    std::string _dir;
    const Catalogue& _catalogue;
    mutable std::mutex _mutex;
    mutable std::map<std::string, std::string> _sources;
};
} // namespace CrmHost

#endif
