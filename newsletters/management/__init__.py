"""Management commands of the newsletters app."""
