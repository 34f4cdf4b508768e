#include "content/TextAlternative.h"
#include <cppunit/extensions/HelperMacros.h>

using MassMailing::TextAlternative;

namespace
{
const char* const NEWSLETTER = R"(<table width="600" align="center"><tr>
<td><img src="cid:logo@amap" alt="AMAP des Capucins"></td><td align="right">Lettre n°12</td></tr>
<tr><td colspan="2">
<h1>Récolte de l'été&nbsp;: paniers à retirer</h1>
<p>Bonjour {{first_name}},</p>
<p>Les paniers de la semaine sont prêts. Vous pouvez les retirer jeudi entre 18&nbsp;h et 19&nbsp;h 30 à la
   salle des fêtes, <b>pensez à apporter vos sacs</b>&nbsp;!<br>Merci aux bénévoles de la semaine dernière.</p>
<h2>Au menu</h2>
<ul><li>Tomates &amp; courgettes</li><li>Œufs <i>plein air</i><ul><li>par 6</li><li>par 12</li></ul></li></ul>
<ol start="3"><li>Relire le <a href="https://amap.example/contrat">contrat</a></li>
<li>Écrire à <a href="mailto:bureau@amap.example">bureau@amap.example</a></li></ol>
<blockquote>Le bio, c'est la vie.</blockquote>
<table><tr><th>Produit</th><th>Prix</th></tr><tr><td>Panier</td><td>12 €</td></tr></table>
<p>Voir en ligne&nbsp;: https://amap.example/lettre/12</p>
<hr>
<p style="font-size:11px">Vous recevez ce message car vous êtes adhérent. <a href="{{unsubscribe_url}}">Se désabonner</a></p>
</td></tr></table>
<script>var tracking = 1;</script>)";
} // namespace

class TextAlternativeTest : public CppUnit::TestFixture
{
    CPPUNIT_TEST_SUITE(TextAlternativeTest);
    CPPUNIT_TEST(testTextAlternativeOfASampleNewsletter);
    CPPUNIT_TEST(testLongParagraphsAreWrappedAt76WithoutBreakingWords);
    CPPUNIT_TEST(testMustacheTagsStayWhole);
    CPPUNIT_TEST_SUITE_END();

public:
    void testTextAlternativeOfASampleNewsletter()
    {
        const std::string expected =
            "AMAP des Capucins | Lettre n°12\n"
            "\n"
            "Récolte de l'été : paniers à retirer\n"
            "\n"
            "Bonjour {{first_name}},\n"
            "\n"
            "Les paniers de la semaine sont prêts. Vous pouvez les retirer jeudi entre\n"
            "18 h et 19 h 30 à la salle des fêtes, pensez à apporter vos sacs !\n"
            "Merci aux bénévoles de la semaine dernière.\n"
            "\n"
            "Au menu\n"
            "\n"
            "- Tomates & courgettes\n"
            "- Œufs plein air\n"
            "  - par 6\n"
            "  - par 12\n"
            "\n"
            "3. Relire le contrat (https://amap.example/contrat)\n"
            "4. Écrire à bureau@amap.example\n"
            "\n"
            "> Le bio, c'est la vie.\n"
            "\n"
            "Produit | Prix\n"
            "Panier | 12 €\n"
            "\n"
            "Voir en ligne : https://amap.example/lettre/12\n"
            "\n"
            "--------------------\n"
            "\n"
            "Vous recevez ce message car vous êtes adhérent. Se désabonner\n"
            "({{unsubscribe_url}})\n";
        CPPUNIT_ASSERT_EQUAL(expected, TextAlternative().fromHtml(NEWSLETTER));
    }

    void testLongParagraphsAreWrappedAt76WithoutBreakingWords()
    {
        std::string paragraph;
        for (int i = 0; i < 40; ++i)
            paragraph += "légumineuses ";
        const std::string url = "https://amap.example/" + std::string(100, 'x');
        const std::string text = TextAlternative().fromHtml("<p>" + paragraph + url + "</p>");
        std::size_t start = 0;
        while (start < text.size())
        {
            const std::size_t end = text.find('\n', start);
            const std::string line = text.substr(start, end - start);
            std::size_t width = 0;
            for (unsigned char c : line)
                width += (c & 0xC0) != 0x80;
            CPPUNIT_ASSERT_MESSAGE(line, width <= 76 || line == url);
            CPPUNIT_ASSERT(line.front() != ' ' && line.back() != ' ');
            start = end + 1;
        }
        CPPUNIT_ASSERT(text.find(url + "\n") != std::string::npos);
    }

    void testMustacheTagsStayWhole()
    {
        std::string paragraph(70, 'a');
        const std::string text =
            TextAlternative().fromHtml("<p>" + paragraph + " {{ first_name }} {{{ raw_html }}}</p>");
        CPPUNIT_ASSERT_EQUAL(paragraph + "\n{{ first_name }} {{{ raw_html }}}\n", text);
    }
};

CPPUNIT_TEST_SUITE_REGISTRATION(TextAlternativeTest);
