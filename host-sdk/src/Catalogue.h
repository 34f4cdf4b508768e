#ifndef CrmHost_Catalogue_INCLUDED
#define CrmHost_Catalogue_INCLUDED

#include <map>
#include <string>

namespace CrmHost
{
/// The message catalogue: every user-facing string, in English and French, read from
/// templates/<component>/i18n/<locale>.properties (keys start with the component's name).
class Catalogue
{
public:
    static const char* const LOCALES[]; /// "en", "fr"

    void load(const std::string& templatesDir, const std::string& component);
    /// Adds the component's strings. Throws Poco::FileNotFoundException when a locale's file is missing.

    std::string text(const std::string& key, const std::string& locale) const;
    /// The string for the locale, else the English one, else the key itself.

    std::string text(const std::string& key, const std::string& locale,
                     const std::map<std::string, std::string>& values) const;
    /// The string with each {name} replaced by its value.

    static std::string negotiate(const std::string& acceptLanguage);
    /// The locale to use for an Accept-Language header: "fr" when French comes before English.

private:
    std::map<std::string, std::map<std::string, std::string>> _texts; // locale -> key -> text
};
} // namespace CrmHost

#endif
