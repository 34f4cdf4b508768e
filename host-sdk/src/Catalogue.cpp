#include "Catalogue.h"
#include <Poco/AutoPtr.h>
#include <Poco/File.h>
#include <Poco/String.h>
#include <Poco/StringTokenizer.h>
#include <Poco/Util/PropertyFileConfiguration.h>

namespace CrmHost
{
const char* const Catalogue::LOCALES[] = {"en", "fr"};

void Catalogue::load(const std::string& templatesDir, const std::string& component)
{
    for (const char* locale : LOCALES)
    {
        std::string path = templatesDir + "/" + component + "/i18n/" + locale + ".properties";
        if (!Poco::File(path).exists())
            throw Poco::FileNotFoundException("message catalogue " + path);
        Poco::AutoPtr<Poco::Util::PropertyFileConfiguration> file(
            new Poco::Util::PropertyFileConfiguration(path));
        std::vector<std::string> keys;
        std::vector<std::string> pending{""};
        // Flatten the dotted hierarchy that AbstractConfiguration exposes.
        while (!pending.empty())
        {
            std::string prefix = pending.back();
            pending.pop_back();
            std::vector<std::string> children;
            file->keys(prefix, children);
            for (const auto& child : children)
            {
                std::string key = prefix.empty() ? child : prefix + "." + child;
                if (file->hasOption(key))
                    _texts[locale][key] = file->getRawString(key);
                pending.push_back(key);
            }
        }
    }
}

std::string Catalogue::text(const std::string& key, const std::string& locale) const
{
    for (const std::string& l : {locale, std::string("en")})
    {
        auto texts = _texts.find(l);
        if (texts == _texts.end())
            continue;
        auto it = texts->second.find(key);
        if (it != texts->second.end())
            return it->second;
    }
    return key;
}

std::string Catalogue::text(const std::string& key, const std::string& locale,
                            const std::map<std::string, std::string>& values) const
{
    std::string result = text(key, locale);
    for (const auto& [name, value] : values)
        Poco::replaceInPlace(result, "{" + name + "}", value);
    return result;
}

std::string Catalogue::negotiate(const std::string& acceptLanguage)
{
    // Languages come in order of preference (weights are rarely out of order in practice).
    Poco::StringTokenizer ranges(acceptLanguage, ",", Poco::StringTokenizer::TOK_TRIM);
    for (const auto& range : ranges)
    {
        std::string tag = Poco::toLower(range.substr(0, 2));
        if (tag == "fr" || tag == "en")
            return tag;
    }
    return "en";
}
} // namespace CrmHost
