// SQL text is a literal constant and every value a bound parameter: SqliteDb::prepare/exec take only
// SqlText (consteval, from a character array), and this test reads the sources to check that nothing
// reaches SQLite's text-taking entry points any other way.
#include "storage/sqlite_db.h"

#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

#include <string>
#include <string_view>
#include <type_traits>

using namespace pulse;

class TstSqlLiterals : public QObject {
    Q_OBJECT
private slots:
    void onlyLiteralsBecomeSql();
    void sqliteTextCallsAreOnlyInTheWrapper();
};

void TstSqlLiterals::onlyLiteralsBecomeSql()
{
    // A string built at run time does not convert; a literal does (at compile time).
    static_assert(!std::is_convertible_v<std::string, SqlText>);
    static_assert(!std::is_convertible_v<const char *, SqlText>);
    static_assert(!std::is_convertible_v<std::string_view, SqlText>);
    constexpr SqlText literal = "SELECT 1";
    QCOMPARE(QByteArray(literal.c_str()), QByteArray("SELECT 1"));
}

void TstSqlLiterals::sqliteTextCallsAreOnlyInTheWrapper()
{
    // Every SQLite function that compiles or runs SQL text, or formats it (printf-style splicing).
    const QRegularExpression entry(QStringLiteral(
        R"(\bsqlite3_(prepare\w*|exec|get_table|mprintf|vmprintf|snprintf|vsnprintf|str_appendf)\s*\()"));
    QStringList found;
    int files = 0;
    for (const char *folder : {"core", "storage", "collectors", "demo", "widgets", "app", "bench", "tests", "fuzz"}) {
        QDirIterator it(QStringLiteral(PULSE_SOURCE_DIR "/") + QLatin1String(folder),
                        {QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            if (path.endsWith(QLatin1String("tst_sql_literals.cpp")))
                continue;
            QFile f(path);
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
            ++files;
            const QStringList lines = QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'));
            for (qsizetype i = 0; i < lines.size(); ++i) {
                if (!entry.match(lines[i]).hasMatch())
                    continue;
                const QString where =
                    QStringLiteral("%1:%2: %3")
                        .arg(path.mid(qsizetype(sizeof(PULSE_SOURCE_DIR))), QString::number(i + 1), lines[i].trimmed());
                // The wrapper passes SqlText's characters, and nothing else.
                const bool wrapper = path.endsWith(QLatin1String("storage/sqlite_db.cpp")) &&
                                     lines[i].contains(QLatin1String("sql.c_str()"));
                if (!wrapper)
                    found << where;
            }
        }
    }
    QVERIFY2(files > 100, "the sources were not found");
    QVERIFY2(found.isEmpty(),
             qPrintable(QStringLiteral("SQL text outside SqliteDb::prepare/exec:\n") + found.join(QLatin1Char('\n'))));
}

QTEST_APPLESS_MAIN(TstSqlLiterals)
#include "tst_sql_literals.moc"
