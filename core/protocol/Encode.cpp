#include "protocol/Encode.h"

#include "protocol/JsonWriter_p.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace greenpulse::core {

namespace {
// {"gpu0":{"w":250.5,"j":1234.5,"uuid":"GPU-..."},...}: rare (agents with real sources), so a QJsonObject is fine.
QByteArray encodeComponents(const std::vector<PowerComponent> &components)
{
    QJsonObject parts;
    for (const PowerComponent &c : components) {
        QJsonObject part{{QStringLiteral("w"), c.watts}};
        if (c.energyJ)
            part[QLatin1String("j")] = *c.energyJ;
        if (!c.uuid.isEmpty())
            part[QLatin1String("uuid")] = c.uuid;
        parts[c.name] = part;
    }
    return QJsonDocument(parts).toJson(QJsonDocument::Compact);
}

// ["0",3,"GPU-1a2b..."]: device indices as numbers, anything else as strings.
QByteArray encodeGpus(const QStringList &gpus)
{
    QJsonArray list;
    for (const QString &gpu : gpus) {
        bool isIndex = false;
        const int index = gpu.toInt(&isIndex);
        isIndex = isIndex && index >= 0 && QString::number(index) == gpu;
        list.append(isIndex ? QJsonValue(index) : QJsonValue(gpu));
    }
    return QJsonDocument(list).toJson(QJsonDocument::Compact);
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
    if (!sample.zone.isEmpty())
        writer.string("zone", sample.zone);
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
    if (!message.user.isEmpty())
        writer.string("user", message.user);
    if (!message.name.isEmpty())
        writer.string("name", message.name);
    if (!message.gpus.isEmpty())
        writer.raw("gpus", encodeGpus(message.gpus));
    if (!message.exitState.isEmpty())
        writer.string("exit_state", message.exitState);
    return writer.finish();
}

QByteArray encode(const GridIntensity &intensity)
{
    JsonWriter writer;
    writer.number("g_co2e_per_kwh", intensity.gCo2ePerKwh)
        .timestamp("timestamp", intensity.timestampNs);
    if (!intensity.source.isEmpty())
        writer.string("source", intensity.source);
    writer.raw("kind", QByteArray("\"") + intensityKindName(intensity.kind) + '"')
        .raw("estimated", intensity.estimated ? "true" : "false");
    return writer.finish();
}

} // namespace greenpulse::core
