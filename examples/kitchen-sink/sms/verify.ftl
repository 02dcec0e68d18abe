Your Kitchen Sink code is ${code}.
