#include "protocol/Encode.h"

#include "protocol/JsonWriter_p.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace greenpulse::core {

namespace {
// {"gpu0":{"w":250.5,"j":1234.5},...}: rare (agents with real sources), so a QJsonObject is fine.
QByteArray encodeComponents(const std::vector<PowerComponent> &components)
{
    QJsonObject parts;
    for (const PowerComponent &c : components) {
        QJsonObject part{{QStringLiteral("w"), c.watts}};
        if (c.energyJ)
            part[QLatin1String("j")] = *c.energyJ;
        parts[c.name] = part;
    }
    return QJsonDocument(parts).toJson(QJsonDocument::Compact);
}
} // namespace

QByteArray encode(const PowerSample &sample)
{
    JsonWriter writer;
    writer.string("host", sample.host)
        .number("watts", sample.watts)
        .stringOrNull("job_id", sample.jobId)
        .timestamp("timestamp", sample.timestampNs);
    if (sample.seq)
        writer.raw("seq", QByteArray::number(*sample.seq));
    if (sample.energyJ)
        writer.number("energy_j", *sample.energyJ);
    if (!sample.counterId.isEmpty())
        writer.string("counter_id", sample.counterId);
    if (!sample.source.isEmpty())
        writer.string("source", sample.source);
    if (!sample.components.empty())
        writer.raw("components", encodeComponents(sample.components));
    return writer.finish();
}

QByteArray encode(const FlowTempSample &sample)
{
    JsonWriter writer;
    writer.string("host", sample.host)
        .number("flow_lpm", sample.flowLpm)
        .number("temp_c", sample.tempC)
        .timestamp("timestamp", sample.timestampNs);
    if (sample.seq)
        writer.raw("seq", QByteArray::number(*sample.seq));
    return writer.finish();
}

QByteArray encode(const ControlMessage &message)
{
    JsonWriter writer;
    writer.raw("status", message.status == JobStatus::Start ? "\"start\"" : "\"end\"")
        .stringOrNull("job_id", message.jobId)
        .timestamp("timestamp", message.timestampNs);
    if (!message.host.isEmpty())
        writer.string("host", message.host);
    if (message.exitCode)
        writer.raw("exit_code", QByteArray::number(*message.exitCode));
    return writer.finish();
}

} // namespace greenpulse::core
