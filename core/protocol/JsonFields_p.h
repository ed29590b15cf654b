#pragma once

// The reference decoder's field readers (Decode.cpp, EnergyFields.cpp): each reads one key of a
// payload object, checks it against the contract (docs/protocol.md) and returns the rejection
// that explains what is wrong, or nothing. Private to protocol/.

#include "protocol/Messages.h"

#include <QJsonObject>
#include <QLatin1String>
#include <QString>
#include <optional>

namespace greenpulse::core::jsonfields {

Rejection reject(RejectReason reason, QString detail);
QString keyName(QLatin1String key); // "key", quoted
const char *typeName(const QJsonValue &value);
QString wrongType(QLatin1String key, const char *expected, const QJsonValue &value);

// Identifiers (host names, job ids): non-empty, bounded, printable, valid UTF-16. Host names
// additionally may not contain MQTT topic separators or wildcards.
std::optional<QString> identifierProblem(const QString &id, bool isHost);
// An optional identifier; null counts as absent.
std::optional<Rejection> readIdentifier(const QJsonObject &object, QLatin1String key, bool isHost,
                                        QString *out);
// A required finite number; null counts as absent.
std::optional<Rejection> readNumber(const QJsonObject &object, QLatin1String key, double *out);
// "timestamp": absent or null -> the receipt time.
std::optional<Rejection> readTimestamp(const QJsonObject &object, TimeNs receiptNs, TimeNs *out,
                                       bool *fromReceipt);
// "seq": absent or null -> none; else an integer in 0..kMaxSeq.
std::optional<Rejection> readSeq(const QJsonObject &object, std::optional<quint64> *out);
// The optional energy fields of a power sample: "energy_j", "counter_id", "source",
// "components" (EnergyFields.cpp).
std::optional<Rejection> readEnergyFields(const QJsonObject &object, PowerSample *sample);
// The optional job details of a control message: "user", "name", "gpus", "exit_state"
// (JobFields.cpp).
std::optional<Rejection> readJobFields(const QJsonObject &object, ControlMessage *message);

} // namespace greenpulse::core::jsonfields
