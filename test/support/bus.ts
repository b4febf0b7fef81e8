export { captureBus, type CapturedEvent } from '../../dev/local/bus-capture.ts';
