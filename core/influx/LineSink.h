#pragma once

#include <QByteArray>
#include <QList>

namespace greenpulse::core {

// Where InfluxDB line-protocol lines go. InfluxWriter implements it; tests may collect lines.
class LineSink
{
public:
    virtual ~LineSink() = default;
    virtual void writeLines(const QList<QByteArray> &lines) = 0;
};

} // namespace greenpulse::core
