// greenpulse-grid: publishes the grid's carbon intensity per zone on
// greenpulse/grid/<zone>/carbon_intensity (retained) from a provider: a schedule file,
// Electricity Maps or the UK Carbon Intensity API (docs/footprint.md, "greenpulse-grid").
// On SIGINT/SIGTERM prints {"counters": {...}, "zones": {...}} to stdout; SIGHUP prints the
// same to stderr.

#include "GridCounters.h"
#include "GridLogging.h"
#include "GridPublisher.h"
#include "GridSettings.h"
#include "ProviderFactory.h"
#include "base/Clock.h"
#include "base/JsonOutput.h"
#include "base/SecurityChecks.h"
#include "base/UnixSignals.h"
#include "base/Version.h"
#include "mqtt/MosquittoClient.h"
#include "options/Options.h"
#include "protocol/Protocol.h"
#include "providers/IntensityProvider.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QTimer>
#include <cstdio>

using namespace greenpulse;

namespace {

constexpr int kFlushTimeoutMs = 3000;

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("greenpulse-grid"));
    QCoreApplication::setApplicationVersion(QLatin1String(core::kVersion));
    QCoreApplication::setOrganizationName(QLatin1String(core::kOrganizationName));

    core::Options options(QStringLiteral("greenpulse-grid"), core::Options::Mqtt);
    for (const core::OptionSpec &spec : grid::GridSettings::optionSpecs()) {
        options.addOption(spec);
    }
    int exitCode = 0;
    if (!options.parse(QCoreApplication::arguments(), &exitCode)) {
        return exitCode;
    }
    QString error;
    const std::optional<grid::GridSettings> settings = grid::GridSettings::read(options, &error);
    if (!settings) {
        std::fprintf(stderr, "greenpulse-grid: %s\n", qPrintable(error));
        return 2;
    }

    core::SystemClock clock;
    grid::GridCounters counters;
    QNetworkAccessManager network;
    std::unique_ptr<grid::IntensityProvider> provider =
        grid::makeProvider(*settings, network, clock, counters, &error);
    if (!provider) {
        std::fprintf(stderr, "greenpulse-grid: %s\n", qPrintable(error));
        return 2;
    }

    core::MqttOptions mqttOptions = options.mqttOptions();
    mqttOptions.willTopic = core::topics::status(mqttOptions.clientId);
    mqttOptions.willPayload = "offline";
    mqttOptions.onlinePayload = "online";
    core::MosquittoClient mqtt(mqttOptions);
    grid::GridPublisher publisher(mqtt, counters, clock);
    QObject::connect(provider.get(), &grid::IntensityProvider::reading, &publisher,
                     [&publisher](const core::GridIntensity &i) { publisher.offer(i); });

    auto summary = [&] {
        return QJsonObject{{QStringLiteral("counters"), counters.toJson()},
                           {QStringLiteral("zones"), publisher.lastJson()}};
    };
    bool finishing = false;
    auto finish = [&](int code) {
        if (finishing) {
            return;
        }
        finishing = true;
        provider->stop();
        mqtt.publish(core::topics::status(mqttOptions.clientId), "offline", 1, true);
        auto done = [&, code] {
            mqtt.disconnectFromBroker();
            core::printJson(stdout, summary());
            QCoreApplication::exit(code);
        };
        if (mqtt.isIdle() || mqtt.state() != core::ConnectionState::Connected) {
            QTimer::singleShot(0, &app, done);
            return;
        }
        QObject::connect(&mqtt, &core::MqttClient::idle, &app, done, Qt::SingleShotConnection);
        QTimer::singleShot(kFlushTimeoutMs, &app, done);
    };

    core::UnixSignals unixSignals;
    QObject::connect(&unixSignals, &core::UnixSignals::terminationRequested, &app,
                     [&](int signalNumber) {
                         qCInfo(lcGrid) << "signal" << signalNumber << "received: exiting";
                         finish(0);
                     });
    QObject::connect(&unixSignals, &core::UnixSignals::hangup, &app,
                     [&] { core::printJson(stderr, summary()); });
    QObject::connect(&mqtt, &core::MqttClient::stateChanged, &app,
                     [&](core::ConnectionState state, const QString &reason) {
                         qCInfo(lcGrid).noquote()
                             << "MQTT" << core::connectionStateName(state)
                             << (reason.isEmpty() ? QString() : QStringLiteral("(%1)").arg(reason));
                         if (state == core::ConnectionState::Error) {
                             finish(1); // will not retry: bad options or refused credentials
                         }
                     });
    if (settings->durationS > 0) {
        QTimer::singleShot(static_cast<int>(settings->durationS * 1000), &app, [&] { finish(0); });
    }

    mqtt.connectToBroker();
    provider->start();
    qCInfo(lcGrid).noquote() << "greenpulse-grid" << core::kVersion << "publishing"
                             << (settings->zones.isEmpty()
                                     ? QStringLiteral("every zone of the schedule")
                                     : settings->zones.join(QLatin1Char(',')))
                             << "from" << provider->name() << "to"
                             << core::redactUrl(mqttOptions.brokerUrl) << "as"
                             << mqttOptions.clientId;
    return QCoreApplication::exec();
}
