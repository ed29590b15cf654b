// The optional job details of a control message (docs/protocol.md, "Job details"): who submitted
// the job, its name and GPUs on a start, how it ended on an end.

#include "protocol/JsonFields_p.h"

#include <QJsonArray>
#include <QJsonValue>
#include <limits>

namespace greenpulse::core::jsonfields {

namespace {

std::optional<Rejection> readGpu(const QJsonValue &value, int position, QStringList *out)
{
    const QString where = QStringLiteral("\"gpus\"[%1] ").arg(position);
    if (value.isString()) {
        const QString id = value.toString();
        if (const auto problem = identifierProblem(id, true))
            return reject(RejectReason::BadIdentifier, where + *problem);
        out->append(id);
        return std::nullopt;
    }
    constexpr qint64 kNotInteger = std::numeric_limits<qint64>::min();
    const qint64 index = value.isDouble() ? value.toInteger(kNotInteger) : kNotInteger;
    if (index == kNotInteger) {
        return reject(RejectReason::WrongType,
                      where + QStringLiteral("must be a device index or a device id, not %1")
                                  .arg(QLatin1String(typeName(value))));
    }
    if (index < 0)
        return reject(RejectReason::Negative, where + QStringLiteral("is negative"));
    if (index > kMaxGpuIndex) {
        return reject(RejectReason::AboveCeiling,
                      where + QStringLiteral("%1 is above %2").arg(index).arg(kMaxGpuIndex));
    }
    out->append(QString::number(index));
    return std::nullopt;
}

std::optional<Rejection> readGpus(const QJsonObject &object, QStringList *out)
{
    const QLatin1String key("gpus");
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (!value.isArray())
        return reject(RejectReason::WrongType, wrongType(key, "an array", value));
    const QJsonArray list = value.toArray();
    if (list.size() > kMaxJobGpus) {
        return reject(RejectReason::AboveCeiling,
                      QStringLiteral("\"gpus\" lists %1 devices, more than %2")
                          .arg(list.size())
                          .arg(kMaxJobGpus));
    }
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (auto failed = readGpu(list.at(i), static_cast<int>(i), out))
            return failed;
    }
    return std::nullopt;
}

// A lower-case word: [a-z][a-z0-9_]*, at most kMaxExitStateLength characters.
std::optional<Rejection> readExitState(const QJsonObject &object, QString *out)
{
    const QLatin1String key("exit_state");
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (!value.isString())
        return reject(RejectReason::WrongType, wrongType(key, "a string", value));
    const QString state = value.toString();
    bool word = !state.isEmpty() && state.size() <= kMaxExitStateLength &&
                state.front() >= QLatin1Char('a') && state.front() <= QLatin1Char('z');
    for (const QChar c : state) {
        word = word && ((c >= QLatin1Char('a') && c <= QLatin1Char('z')) ||
                        (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('_'));
    }
    if (!word) {
        return reject(RejectReason::BadIdentifier,
                      QStringLiteral("\"exit_state\" \"%1\" is not a lower-case word of at most "
                                     "%2 characters (e.g. \"completed\", \"failed\")")
                          .arg(state.left(64))
                          .arg(kMaxExitStateLength));
    }
    *out = state;
    return std::nullopt;
}

} // namespace

std::optional<Rejection> readJobFields(const QJsonObject &object, ControlMessage *message)
{
    if (auto failed = readIdentifier(object, QLatin1String("user"), false, &message->user))
        return failed;
    if (auto failed = readIdentifier(object, QLatin1String("name"), false, &message->name))
        return failed;
    if (auto failed = readGpus(object, &message->gpus))
        return failed;
    return readExitState(object, &message->exitState);
}

} // namespace greenpulse::core::jsonfields
