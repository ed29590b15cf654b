#!/bin/sh
# Re-render the committed hicolor PNGs from greenpulse.svg (needs rsvg-convert from librsvg2-bin).
# Run after editing the SVG: resources/icons/render-png.sh
set -eu
cd "$(dirname "$0")"
for size in 16 22 24 32 48 64 128 256; do
    mkdir -p "hicolor/${size}x${size}/apps"
    rsvg-convert -w "$size" -h "$size" greenpulse.svg -o "hicolor/${size}x${size}/apps/greenpulse.png"
done
