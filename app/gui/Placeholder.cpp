namespace greenpulse::app {}
