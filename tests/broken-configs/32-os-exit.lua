-- expect: 2
os.exit(1)
