#pragma once

#include <QString>

namespace greenpulse::core {

struct InfluxOptions
{
    enum class Api { V1, V2 };
    // Who writes when several processes point at one database (core/influx/WriterLease.h). Off: no
    // lease (always write, no heartbeat), the default of the class; the programs default to Auto
    // (--influx-writer).
    enum class WriterMode { Off, Auto, Always, Never };

    QString url; // empty: writing is off
    Api api = Api::V1;
    QString org;
    QString bucket = QStringLiteral("greenpulse_metrics");
    QString database = QStringLiteral("greenpulse");
    QString retentionPolicy; // v1 only, optional
    QString token;           // v2; never logged
    QString username;        // v1; optional
    QString password;        // v1; never logged
    QString spoolDir;        // empty: <data dir>/spool
    qint64 spoolMaxBytes = 512LL * 1024 * 1024;
    int flushIntervalMs = 1000;
    int maxBatchLines = 5000;
    bool gzip = true;
    WriterMode writerMode = WriterMode::Off;

    bool enabled() const { return !url.isEmpty(); }
};

} // namespace greenpulse::core
