#pragma once

#include <QMetaType>
#include <QString>
#include <iterator>

namespace greenpulse::core {

struct InfluxStatus
{
    enum class State {
        Off,       // no URL configured, or writing switched off
        Writing,   // last request succeeded
        Spooling,  // database unreachable or failing; points wait in the disk spool
        AuthError, // 401/403: writing stopped until the credentials change
        Viewing,   // another process writes this database (core/influx/WriterLease.h): points not written
    };
    State state = State::Off;
    quint64 pointsWritten = 0;  // lines acknowledged by the server
    quint64 pointsQueued = 0;   // lines waiting (memory + spool)
    quint64 pointsRetried = 0;  // lines sent again after a failure
    quint64 pointsRejected = 0; // lines the server refused with 400 (kept in rejected-lines file)
    quint64 pointsDropped = 0;  // lines dropped because the spool was full
    qint64 spoolBytes = 0;
    QString lastError;
    quint64 pointsNotWritten = 0; // lines not written while viewing (another process writes)
    QString writerNote; // WriterLease::note(): "viewing only: <host>/<program> writes … since …"
};

const char *influxStateName(InfluxStatus::State state);
// Every field equal (InfluxWriter emits statusChanged only when something differs).
bool operator==(const InfluxStatus &a, const InfluxStatus &b);
inline bool operator!=(const InfluxStatus &a, const InfluxStatus &b)
{
    return !(a == b);
}

} // namespace greenpulse::core

Q_DECLARE_METATYPE(greenpulse::core::InfluxStatus)
