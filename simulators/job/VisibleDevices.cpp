#include "VisibleDevices.h"

#include "protocol/Messages.h"

#include <algorithm>

namespace greenpulse::sim {

QStringList cudaVisibleDevices(const QProcessEnvironment &environment)
{
    QStringList devices;
    const QString text = environment.value(QStringLiteral("CUDA_VISIBLE_DEVICES"));
    for (const QString &part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const QString device = part.trimmed();
        bool isIndex = false;
        const int index = device.toInt(&isIndex);
        const bool isId = (device.startsWith(QLatin1String("GPU-")) ||
                           device.startsWith(QLatin1String("MIG-"))) &&
                          device.size() <= core::kMaxIdLength &&
                          std::all_of(device.begin(), device.end(), [](QChar c) {
                              return c.unicode() > 0x20 && c.unicode() < 0x7f;
                          });
        if (isIndex ? index < 0 || index > core::kMaxGpuIndex : !isId) {
            break; // CUDA sees no device from here on
        }
        if (devices.size() >= core::kMaxJobGpus) {
            break;
        }
        devices << (isIndex ? QString::number(index) : device);
    }
    return devices;
}

} // namespace greenpulse::sim
