#include "PipelineStack.h"

namespace greenpulse::test {

bool PipelineStack::startSimulators()
{
    const QStringList common{QStringLiteral("--broker"), broker.url(),
                             QStringLiteral("--host"),   host,
                             QStringLiteral("--config"), QStringLiteral("/dev/null")};
    // Simulated power: the agent's default (auto) would measure a machine with RAPL, hwmon or NVML.
    const QStringList simulated{QStringLiteral("--source"), QStringLiteral("sim")};
    return agent.start(binary(QStringLiteral("greenpulse-host-agent")), common + simulated) &&
           sensor.start(binary(QStringLiteral("greenpulse-sensor-sim")), common);
}

QStringList PipelineStack::processorArgs(const QString &clientId) const
{
    return {QStringLiteral("--broker"),     broker.url(),
            QStringLiteral("--client-id"),  clientId,
            QStringLiteral("--influx-url"), influx.url(),
            QStringLiteral("--influx-db"),  QStringLiteral("greenpulse"),
            QStringLiteral("--spool-dir"),  dir.filePath(QStringLiteral("spool")),
            QStringLiteral("--state-file"), dir.filePath(QStringLiteral("ledger.json")),
            QStringLiteral("--config"),     QStringLiteral("/dev/null")};
}

bool startProcessor(Child &processor, const QStringList &args)
{
    if (!processor.start(binary(QStringLiteral("greenpulse-processor")), args)) {
        return false;
    }
    return waitUntil([&] { return processor.readStderr().contains("MQTT connected"); }, 15000);
}

} // namespace greenpulse::test
