// pulseboard: the desktop GUI. With no --config it starts the demo service in-process and watches it.
// main reads the command line; App (app.h) owns and wires what runs.
#include "app/pulseboard/app.h"
#include "app/services/hub.h"
#include "app/services/runtime.h"
#include "core/base/duration.h"
#include "widgets/time_range_bar.h"

#include <QApplication>
#include <QCommandLineParser>

#include <iostream>
#include <limits>

int main(int argc, char **argv)
{
    const std::uint64_t fileLimit = pulse::Runtime::prepareProcess();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("pulseboard"));
    QApplication::setOrganizationName(QStringLiteral("pulseboard"));
    pulse::registerMetaTypes();

    QCommandLineParser cli;
    cli.setApplicationDescription(QStringLiteral("Pulseboard: a desktop dashboard for your services. "
                                                 "Without --config it watches a built-in demo service."));
    cli.addHelpOption();
    cli.addOption({QStringLiteral("config"), QStringLiteral("Config file (YAML)."), QStringLiteral("FILE")});
    cli.addOption({QStringLiteral("screenshot"), QStringLiteral("Save a PNG of the window and exit."),
                   QStringLiteral("OUT.png")});
    cli.addOption({QStringLiteral("after"), QStringLiteral("Wait this long before the screenshot (default 8s)."),
                   QStringLiteral("DURATION"), QStringLiteral("8s")});
    cli.addOption({QStringLiteral("range"),
                   QStringLiteral("Open with this time range: Live (default), 5m, 15m, 1h, 6h, 24h, 7d or 30d."),
                   QStringLiteral("SPAN"), QStringLiteral("Live")});
    cli.process(app);

    pulse::App::Options options;
    options.configPath = cli.value(QStringLiteral("config"));
    options.screenshot = cli.value(QStringLiteral("screenshot"));
    options.openFileLimit = fileLimit;
    options.range = cli.value(QStringLiteral("range"));
    if (pulse::TimeRangeBar::spanIndex(options.range) < 0) {
        std::cerr << "pulseboard: --range: unknown span '" << options.range.toStdString() << "'; expected one of "
                  << pulse::TimeRangeBar::spanLabels().toStdString() << "\n";
        return 2;
    }
    auto after = pulse::parseDuration(cli.value(QStringLiteral("after")).toStdString());
    if (!after || after->count() > std::numeric_limits<int>::max()) {
        std::cerr << "pulseboard: --after: "
                  << (after ? std::string("at most 24 days (a timer counts milliseconds in an int)") : after.error().message)
                  << "\n";
        return 2;
    }
    options.screenshotAfterMs = static_cast<int>(after->count());

    auto pulseboard = pulse::App::create(options);
    if (!pulseboard) {
        std::cerr << pulseboard.error();
        return 2;
    }
    (*pulseboard)->start();
    return (*pulseboard)->stop(QApplication::exec());
}
