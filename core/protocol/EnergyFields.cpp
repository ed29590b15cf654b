// The optional energy fields of a power sample (docs/protocol.md, "Energy counters").

#include "protocol/JsonFields_p.h"

#include <QJsonValue>
#include <algorithm>
#include <cmath>

namespace greenpulse::core::jsonfields {

namespace {

// An optional number in [0, ceiling]; null counts as absent.
std::optional<Rejection> readOptionalAmount(const QJsonObject &object, QLatin1String key,
                                            double ceiling, const QString &where,
                                            std::optional<double> *out)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (!value.isDouble())
        return reject(RejectReason::WrongType, where + wrongType(key, "a number", value));
    const double number = value.toDouble();
    if (!std::isfinite(number))
        return reject(RejectReason::NotFinite,
                      where + keyName(key) + QStringLiteral(" is not finite"));
    if (number < 0)
        return reject(RejectReason::Negative,
                      where + keyName(key) + QStringLiteral(" is negative"));
    if (number > ceiling) {
        return reject(
            RejectReason::AboveCeiling,
            where + QStringLiteral("%1 %2 is above %3").arg(keyName(key)).arg(number).arg(ceiling));
    }
    *out = number;
    return std::nullopt;
}

std::optional<Rejection> readComponent(const QString &name, const QJsonValue &value,
                                       PowerComponent *out)
{
    const QString where = QStringLiteral("component \"%1\": ").arg(name.left(64));
    if (const auto problem = identifierProblem(name, true))
        return reject(RejectReason::BadIdentifier, QStringLiteral("component name ") + *problem);
    if (!value.isObject())
        return reject(
            RejectReason::WrongType,
            where +
                QStringLiteral("must be an object, not %1").arg(QLatin1String(typeName(value))));
    const QJsonObject object = value.toObject();
    std::optional<double> watts;
    if (auto failed = readOptionalAmount(object, QLatin1String("w"), kMaxWatts, where, &watts))
        return failed;
    if (!watts)
        return reject(RejectReason::MissingKey, where + QStringLiteral("missing key \"w\""));
    out->name = name;
    out->watts = *watts;
    if (auto failed =
            readOptionalAmount(object, QLatin1String("j"), kMaxEnergyJ, where, &out->energyJ))
        return failed;
    // "uuid": the device id a job's "gpus" may name (docs/accounting.md, "GPUs a job holds").
    if (auto failed = readIdentifier(object, QLatin1String("uuid"), false, &out->uuid)) {
        failed->detail.prepend(where);
        return failed;
    }
    return std::nullopt;
}

std::optional<Rejection> readComponents(const QJsonObject &object, PowerSample *sample)
{
    const QLatin1String key("components");
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (!value.isObject())
        return reject(RejectReason::WrongType, wrongType(key, "an object", value));
    const QJsonObject parts = value.toObject();
    if (parts.size() > kMaxComponents) {
        return reject(RejectReason::AboveCeiling,
                      QStringLiteral("\"components\" lists %1 parts, more than %2")
                          .arg(parts.size())
                          .arg(kMaxComponents));
    }
    sample->components.reserve(static_cast<size_t>(parts.size()));
    for (auto it = parts.begin(); it != parts.end(); ++it) { // sorted by name
        PowerComponent part;
        if (auto failed = readComponent(it.key(), it.value(), &part))
            return failed;
        sample->components.push_back(std::move(part));
    }
    return std::nullopt;
}

} // namespace

std::optional<Rejection> readEnergyFields(const QJsonObject &object, PowerSample *sample)
{
    if (auto failed = readOptionalAmount(object, QLatin1String("energy_j"), kMaxEnergyJ, QString(),
                                         &sample->energyJ))
        return failed;
    if (auto failed =
            readIdentifier(object, QLatin1String("counter_id"), false, &sample->counterId))
        return failed;
    if (auto failed = readIdentifier(object, QLatin1String("source"), false, &sample->source))
        return failed;
    if (auto failed = readComponents(object, sample))
        return failed;
    const bool anyCounter =
        sample->energyJ ||
        std::any_of(sample->components.begin(), sample->components.end(),
                    [](const PowerComponent &c) { return c.energyJ.has_value(); });
    if (anyCounter && sample->counterId.isEmpty()) {
        return reject(RejectReason::MissingKey,
                      QStringLiteral("missing key \"counter_id\" (required with energy counters)"));
    }
    return std::nullopt;
}

} // namespace greenpulse::core::jsonfields
