// The module graph is a compiled fact: every `#include "…"` of every library follows the table in
// docs/architecture.md (parsed from the document), and public headers keep Boost, SQLite, OpenSSL and
// yaml-cpp to themselves. A fixture tree with mistakes on purpose shows the check fails, naming
// file and line.
#include "include_rules.h"

#include <QProcess>
#include <QTest>

#include <algorithm>
#include <fstream>
#include <sstream>

using pulse::test::IncludeRules;
using pulse::test::Violation;

namespace {

std::string readFile(const std::string &path)
{
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::optional<IncludeRules> rulesOf(const std::string &root)
{
    std::string error;
    auto rules = IncludeRules::parse(readFile(root + "/docs/architecture.md"), &error);
    if (!rules)
        qWarning("%s", error.c_str());
    return rules;
}

std::string joined(const std::vector<Violation> &violations)
{
    std::string out;
    for (const Violation &v : violations)
        out += v.text() + "\n";
    return out;
}

} // namespace

class TstArchitecture : public QObject {
    Q_OBJECT
private slots:
    void sourcesFollowTheDocumentedGraph()
    {
        const auto rules = rulesOf(PULSE_SOURCE_DIR);
        QVERIFY(rules);
        QVERIFY2(rules->size() >= 16, "the table lists every library");
        const auto violations = rules->check(PULSE_SOURCE_DIR);
        QVERIFY2(violations.empty(), joined(violations).c_str());
    }

    void theExpositionLibraryStandsAlone()
    {
        // pulsectl's parse-metrics front links only it: it may include base and nothing else.
        const auto rules = rulesOf(PULSE_SOURCE_DIR);
        QVERIFY(rules);
        QCOMPARE(rules->allowed("exposition"), (std::set<std::string>{"exposition", "base"}));
        QCOMPARE(rules->libraryOf("core/exposition/exposition_parser.h"), std::optional<std::string>("exposition"));
        QCOMPARE(rules->libraryOf("app/services/runtime.h"), std::optional<std::string>("services"));
        QCOMPARE(rules->libraryOf("app/pulsectl/main.cpp"), std::optional<std::string>("app"));
    }

    void parseMetricsFrontLoadsNoQt()
    {
        // pulsectl (the front) links pulse::exposition only: its dynamic section names no Qt, SQLite,
        // OpenSSL or yaml-cpp library, so parsing a file starts in a millisecond.
        QProcess readelf;
        readelf.start(QStringLiteral("readelf"), {QStringLiteral("-d"), QStringLiteral(PULSE_BINARY_DIR "/app/pulsectl")});
        QVERIFY(readelf.waitForFinished(30'000));
        QCOMPARE(readelf.exitCode(), 0);
        const QString needed = QString::fromUtf8(readelf.readAllStandardOutput());
        QVERIFY2(needed.contains(QLatin1String("NEEDED")), qPrintable(needed));
        for (const char *library : {"libQt6", "libsqlite3", "libssl", "libcrypto", "libyaml-cpp"})
            QVERIFY2(!needed.contains(QLatin1String(library)), qPrintable(needed));
    }

    void aForbiddenIncludeFailsWithFileAndLine()
    {
        const std::string root = std::string(PULSE_SOURCE_DIR) + "/tests/architecture/fixtures/tree";
        const auto rules = rulesOf(root);
        QVERIFY(rules);
        auto violations = rules->check(root);
        std::vector<std::string> texts;
        texts.reserve(violations.size());
        for (const Violation &v : violations)
            texts.push_back(v.text());
        std::sort(texts.begin(), texts.end());
        const std::vector<std::string> expected{
            "low/leaky.h:3: a public header includes a third-party header: #include <sqlite3.h>",
            "low/leaky.h:7: a public header names the third-party type 'sqlite3' outside a private section",
            "low/upward.cpp:3: 'low' may not include 'high/top.h' (library 'high'; see docs/architecture.md)",
        };
        QVERIFY2(texts == expected, joined(violations).c_str());
    }

    void aBrokenTableIsAnError()
    {
        std::string error;
        QVERIFY(!IncludeRules::parse("# nothing here\n", &error));
        QVERIFY(error.find("no table") != std::string::npos);
        QVERIFY(!IncludeRules::parse("## Libraries and what they may include\n| `a` | `a/` | b |\n", &error));
        QVERIFY2(error.find("'b', which is not a library") != std::string::npos, error.c_str());
    }
};

QTEST_GUILESS_MAIN(TstArchitecture)
#include "tst_architecture.moc"
