#include "MustacheRenderer.h"
#include <Poco/DirectoryIterator.h>
#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Path.h>
#include <Poco/StreamCopier.h>

namespace CrmHost
{
MustacheRenderer::MustacheRenderer(const std::string& templatesDir, const std::string& component,
                                   const Catalogue& catalogue)
    : _dir(templatesDir + "/" + component), _catalogue(catalogue)
{
}

const std::string& MustacheRenderer::source(const std::string& name) const
{
    std::lock_guard<std::mutex> lock(_mutex);
    auto it = _sources.find(name);
    if (it != _sources.end())
        return it->second;
    std::string path = _dir + "/" + name + ".mustache";
    if (!Poco::File(path).exists())
        throw Poco::FileNotFoundException("template " + path);
    Poco::FileInputStream in(path);
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    return _sources.emplace(name, std::move(text)).first->second;
}

std::string MustacheRenderer::render(const std::string& name, mstch::map context,
                                     const std::string& locale) const
{
    std::map<std::string, std::string> partials;
    Poco::File dir(_dir);
    if (dir.exists())
    {
        for (Poco::DirectoryIterator it(dir), end; it != end; ++it)
        {
            Poco::Path path(it->path());
            if (path.getExtension() == "mustache" && path.getBaseName() != name)
                partials[path.getBaseName()] = source(path.getBaseName());
        }
    }
    const Catalogue& catalogue = _catalogue;
    context.emplace("t", mstch::lambda{[&catalogue, locale](const std::string& key) -> mstch::node
                                       { return catalogue.text(key, locale); }});
    context.emplace("locale", locale);
    return mstch::render(source(name), context, partials);
}

std::string MustacheRenderer::translate(const std::string& key, const std::string& locale) const
{
    return _catalogue.text(key, locale);
}
} // namespace CrmHost
