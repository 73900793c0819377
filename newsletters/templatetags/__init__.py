"""Template tags for the newsletters app."""
