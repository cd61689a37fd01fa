-- expect: 3
oxtile.bar { widgets = {
  oxtile.widget.command { cmd = "date", timeout = -1 },
} }
