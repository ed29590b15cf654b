// greenpulse: the operator's dashboard. Live energy (kWh), carbon (kg CO2e) and cooling water
// (litres) per AI job, from the MQTT messages of the host agents and sensors.

#include "base/Logging.h"
#include "base/SecurityChecks.h"
#include "base/UnixSignals.h"
#include "base/Version.h"
#include "options/Options.h"
#include "protocol/Topics.h"
#include "runtime/Components.h"
#include "runtime/GuiSettings.h"
#include "runtime/Resources.h"
#include "runtime/launchers/LauncherOptions.h"
#include "widgets/MainWindow.h"

#include <QApplication>
#include <QSettings>
#include <QTimer>
#include <cstdio>

using namespace greenpulse;

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("greenpulse"));
    QApplication::setApplicationDisplayName(QStringLiteral("GreenPulse"));
    QApplication::setApplicationVersion(QLatin1String(core::kVersion));
    QApplication::setOrganizationName(QLatin1String(core::kOrganizationName));
    QApplication::setDesktopFileName(QStringLiteral("greenpulse"));
    app::initResources();
    QApplication::setWindowIcon(app::applicationIcon());

    core::Options options(QStringLiteral("greenpulse"),
                          core::Options::Mqtt | core::Options::Influx | core::Options::Ledger |
                              core::Options::Follow);
    options.addOption(core::OptionSpec::integer(
        QStringLiteral("quit-after-ms"), QStringLiteral("ms"),
        QStringLiteral("Close the window by itself after N ms (tests, screenshots); 0: never."),
        0));
    app::addLauncherOptions(options);
    // The dashboard's own settings sit between the environment and the config file.
    QSettings settings(QSettings::IniFormat, QSettings::UserScope,
                       QLatin1String(core::kOrganizationName), QStringLiteral("greenpulse-gui"));
    app::GuiSettings guiSettings(settings, options);
    int exitCode = 0;
    if (!options.parse(QApplication::arguments(), &exitCode)) {
        return exitCode;
    }
    if (const QString followed = options.followProcessor();
        !followed.isEmpty() && !core::topics::isValidProcessorName(followed)) {
        std::fprintf(stderr,
                     "greenpulse: --follow \"%s\" is not a processor name (no /, +, # "
                     "or blanks)\n",
                     qPrintable(followed));
        return 2;
    }
    for (const QString &line : options.describe()) {
        qCDebug(lcApp).noquote() << line; // secrets are masked by describe()
    }

    core::ProcessorOptions processorOptions;
    processorOptions.stateFile = options.stateFile();
    processorOptions.acceptLegacyControl = options.acceptLegacyControl();
    processorOptions.staleAfterSeconds = options.doubleValue(core::opt::kStaleAfterS);
    core::UnixSignals unixSignals;
    const qint64 quitAfter = options.intValue(QStringLiteral("quit-after-ms"));
    int result = 0;
    bool reopen = true;
    while (reopen) { // once, and again each time the settings change the ledger shown
        app::Components components(guiSettings, processorOptions);
        app::MainWindow window(components.source(), components.series, *components.jobs,
                               guiSettings);
        window.setLaunchControl(*components.launch);
        window.setBackfill(*components.backfill);
        window.show();
        components.start();
        qCInfo(lcApp).noquote() << "greenpulse" << core::kVersion << "listening on"
                                << core::redactUrl(guiSettings.processorMqttOptions().brokerUrl);
        const QMetaObject::Connection onSignal =
            QObject::connect(&unixSignals, &core::UnixSignals::terminationRequested, &window,
                             [&window](int) { window.close(); });
        if (quitAfter > 0) {
            QTimer::singleShot(static_cast<int>(quitAfter), &window, &QWidget::close);
        }
        result = QApplication::exec();
        QObject::disconnect(onSignal);
        window.shutdown();
        reopen = window.reopenRequested();
    }
    return result;
}
