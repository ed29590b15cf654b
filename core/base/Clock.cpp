#include "base/Clock.h"

#include <chrono>

namespace greenpulse::core {

qint64 SystemClock::nowNs() const
{
    using namespace std::chrono;
    return duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace greenpulse::core
