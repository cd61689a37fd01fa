-- expect: 2
oxtile.settings { border_focus = "#zzzzzz" }
