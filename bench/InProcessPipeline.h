#pragma once

// The processor as greenpulse-processor builds it (ledger, MQTT client, InfluxDB writer with its
// spool in a temporary folder), inside the harness, for the sections that time it from within:
// ingest and latency. start() starts the processor and the writer; connecting is left to the
// section.

#include "base/Clock.h"
#include "influx/InfluxWriter.h"
#include "accounting/Ledger.h"
#include "mqtt/MosquittoClient.h"
#include "pipeline/Processor.h"

#include <QCoreApplication>
#include <QTemporaryDir>

namespace greenpulse::bench {

class InProcessPipeline
{
public:
    // `clientName`: the MQTT client id's prefix; `influxUrl` empty: writing off.
    InProcessPipeline(const QString &brokerUrl, const QString &clientName, const QString &influxUrl)
        : m_mqtt(mqttOptions(brokerUrl, clientName)),
          m_writer(influxOptions(influxUrl, m_spool.path())),
          m_processor(m_ledger, m_mqtt, m_clock, core::ProcessorOptions{})
    {
        m_processor.setInfluxWriter(&m_writer);
    }

    void start()
    {
        m_processor.start();
        m_writer.start();
    }

    core::Ledger &ledger() { return m_ledger; }
    core::MosquittoClient &mqtt() { return m_mqtt; }
    core::InfluxWriter &writer() { return m_writer; }
    core::Processor &processor() { return m_processor; }

private:
    static core::MqttOptions mqttOptions(const QString &brokerUrl, const QString &clientName)
    {
        core::MqttOptions options;
        options.brokerUrl = brokerUrl;
        options.clientId =
            QStringLiteral("%1-%2").arg(clientName).arg(QCoreApplication::applicationPid());
        return options;
    }
    static core::InfluxOptions influxOptions(const QString &url, const QString &spoolDir)
    {
        core::InfluxOptions options;
        options.url = url;
        options.spoolDir = spoolDir;
        return options;
    }

    core::SystemClock m_clock;
    core::Ledger m_ledger{core::LedgerConfig::forReplay(), m_clock};
    core::MosquittoClient m_mqtt;
    QTemporaryDir m_spool;
    core::InfluxWriter m_writer;
    core::Processor m_processor;
};

} // namespace greenpulse::bench
