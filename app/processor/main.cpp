// greenpulse-processor: the GreenPulse processor without a window, for servers.
// Subscribes to greenpulse/#, accounts energy, carbon and water per job, writes InfluxDB every
// second, saves its ledger; on SIGINT/SIGTERM prints {"jobs": [...], "counters": {...}} to stdout.

#include "accounting/Ledger.h"
#include "base/Clock.h"
#include "base/JsonOutput.h"
#include "base/Logging.h"
#include "base/SecurityChecks.h"
#include "base/UnixSignals.h"
#include "base/Version.h"
#include "influx/InfluxWriter.h"
#include "mqtt/MosquittoClient.h"
#include "options/Options.h"
#include "pipeline/LedgerPublisher.h"
#include "pipeline/Processor.h"
#include "protocol/Protocol.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QTimer>
#include <cstdio>
#include <memory>

using namespace greenpulse::core;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("greenpulse-processor"));
    QCoreApplication::setApplicationVersion(QLatin1String(kVersion));
    QCoreApplication::setOrganizationName(QLatin1String(kOrganizationName));

    Options options(QStringLiteral("greenpulse-processor"),
                    Options::Mqtt | Options::Influx | Options::Ledger | Options::LedgerFeed);
    options.addOption(OptionSpec::integer(QStringLiteral("duration-s"), QStringLiteral("seconds"),
                                          QStringLiteral("Stop by itself after this many seconds "
                                                         "(0: run until SIGINT/SIGTERM)."),
                                          0));
    options.addOption(OptionSpec::integer(
        QStringLiteral("counters-interval-s"), QStringLiteral("seconds"),
        QStringLiteral("Log message counters (accepted, rejected by reason) every N seconds; 0: "
                       "only on SIGHUP and at exit."),
        0));
    int exitCode = 0;
    if (!options.parse(QCoreApplication::arguments(), &exitCode)) {
        return exitCode;
    }

    const LedgerPublisherOptions ledgerFeed = options.ledgerPublisherOptions();
    if (!topics::isValidProcessorName(ledgerFeed.processorName)) {
        std::fprintf(stderr,
                     "greenpulse-processor: --processor-name \"%s\" cannot be an MQTT topic level "
                     "(no /, +, # or blanks)\n",
                     qPrintable(ledgerFeed.processorName));
        return 2;
    }

    SystemClock clock;
    Ledger ledger(options.ledgerConfig(), clock);

    MqttOptions mqttOptions = options.mqttOptions();
    // A persistent session under a stable id: the broker keeps our QoS 1 messages while we are
    // restarting.
    mqttOptions.cleanSession = false;
    mqttOptions.willTopic = topics::status(mqttOptions.clientId);
    mqttOptions.willPayload = "offline";
    mqttOptions.onlinePayload = "online";
    MosquittoClient mqtt(mqttOptions);

    std::unique_ptr<InfluxWriter> writer;
    const InfluxOptions influxOptions = options.influxOptions();
    if (influxOptions.enabled()) {
        writer = std::make_unique<InfluxWriter>(influxOptions);
    } else {
        qCInfo(lcProcessor) << "no --influx-url: writing to InfluxDB is off";
    }

    ProcessorOptions processorOptions;
    processorOptions.stateFile = options.stateFile();
    processorOptions.acceptLegacyControl = options.acceptLegacyControl();
    processorOptions.staleAfterSeconds = options.doubleValue(opt::kStaleAfterS);
    Processor processor(ledger, mqtt, clock, processorOptions);
    if (writer) {
        processor.setInfluxWriter(writer.get());
    }
    // The ledger for the dashboards that follow this processor (greenpulse/ledger/<name>/).
    LedgerPublisher ledgerPublisher(
        mqtt, [&processor] { return processor.snapshot(); }, ledgerFeed);

    bool finished = false;
    auto finish = [&](int code) {
        if (finished) {
            return;
        }
        finished = true;
        processor.stop();
        ledgerPublisher.publishNow(true); // the final totals, marked stopped
        if (writer && !writer->drain(5000)) {
            qCWarning(lcProcessor) << "InfluxDB did not acknowledge everything in time; the rest"
                                   << "stays in the spool for the next start";
        }
        mqtt.disconnectFromBroker();
        QJsonObject out = processor.jobsJson();
        out[QLatin1String("counters")] = processor.countersJson();
        printJson(stdout, out);
        QCoreApplication::exit(code);
    };

    UnixSignals unixSignals;
    QObject::connect(&unixSignals, &UnixSignals::terminationRequested, &app, [&](int signalNumber) {
        qCInfo(lcProcessor) << "signal" << signalNumber << "received: saving and exiting";
        finish(0);
    });
    QObject::connect(&unixSignals, &UnixSignals::hangup, &app,
                     [&] { printJson(stderr, processor.countersJson()); });

    const qint64 countersInterval = options.intValue(QStringLiteral("counters-interval-s"));
    QTimer countersTimer;
    if (countersInterval > 0) {
        QObject::connect(&countersTimer, &QTimer::timeout, &app, [&] {
            qCInfo(lcProcessor).noquote()
                << "counters:"
                << QJsonDocument(processor.countersJson()).toJson(QJsonDocument::Compact);
        });
        countersTimer.start(static_cast<int>(countersInterval * 1000));
    }
    const qint64 duration = options.intValue(QStringLiteral("duration-s"));
    if (duration > 0) {
        QTimer::singleShot(static_cast<int>(duration * 1000), &app, [&] { finish(0); });
    }

    QObject::connect(&mqtt, &MqttClient::stateChanged, &app,
                     [](ConnectionState state, const QString &reason) {
                         qCInfo(lcProcessor).noquote()
                             << "MQTT" << connectionStateName(state)
                             << (reason.isEmpty() ? QString() : QStringLiteral("(%1)").arg(reason));
                     });

    QString error;
    if (!processor.start(&error)) {
        qCCritical(lcProcessor).noquote() << "cannot start:" << error;
        return 1;
    }
    if (writer) {
        writer->start();
    }
    ledgerPublisher.start();
    mqtt.connectToBroker();
    qCInfo(lcProcessor).noquote() << "greenpulse-processor" << kVersion << "listening on"
                                  << redactUrl(mqttOptions.brokerUrl) << "as"
                                  << mqttOptions.clientId;
    if (ledgerFeed.intervalMs > 0) {
        qCInfo(lcProcessor).noquote()
            << "publishing the ledger on" << topics::ledgerRoot(ledgerFeed.processorName) + "#"
            << "every" << ledgerFeed.intervalMs << "ms";
    }
    return QCoreApplication::exec();
}
